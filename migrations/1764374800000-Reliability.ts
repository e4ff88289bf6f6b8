import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reliability1764374800000 implements MigrationInterface {
  name = 'Reliability1764374800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Fixed one-minute windows per client address and route group, shared by every instance.
    await queryRunner.query(`
      CREATE TABLE rate_limit_counters (
        bucket text NOT NULL,
        window_start timestamptz NOT NULL,
        hits integer NOT NULL,
        PRIMARY KEY (bucket, window_start)
      )`);
    await queryRunner.query(`CREATE INDEX rate_limit_counters_window_idx ON rate_limit_counters (window_start)`);
    await queryRunner.query(`CREATE INDEX authn_requests_created_idx ON authn_requests (created_at)`);
    await queryRunner.query(`CREATE INDEX login_attempts_at_idx ON login_attempts (at)`);
    await queryRunner.query(`CREATE INDEX sso_audit_log_at_idx ON sso_audit_log (at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX sso_audit_log_at_idx`);
    await queryRunner.query(`DROP INDEX login_attempts_at_idx`);
    await queryRunner.query(`DROP INDEX authn_requests_created_idx`);
    await queryRunner.query(`DROP TABLE rate_limit_counters`);
  }
}
