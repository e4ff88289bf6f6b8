import { MigrationInterface, QueryRunner } from 'typeorm';

export class LoginAttemptReference1764374900000 implements MigrationInterface {
  name = 'LoginAttemptReference1764374900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The reference a failed sign-in's error page shows, so that the admin finds the attempt a user quotes.
    await queryRunner.query(`ALTER TABLE login_attempts ADD COLUMN reference text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE login_attempts DROP COLUMN reference`);
  }
}
