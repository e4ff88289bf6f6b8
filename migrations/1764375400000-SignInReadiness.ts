import { MigrationInterface, QueryRunner } from 'typeorm';

export class SignInReadiness1764375400000 implements MigrationInterface {
  name = 'SignInReadiness1764375400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A sign-in counts as proof of the IdP configuration only if it came after that configuration.
    await queryRunner.query(`ALTER TABLE sso_configs ADD COLUMN idp_configured_at timestamptz`);
    await queryRunner.query(`UPDATE sso_configs SET idp_configured_at = updated_at WHERE idp IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sso_configs DROP COLUMN idp_configured_at`);
  }
}
