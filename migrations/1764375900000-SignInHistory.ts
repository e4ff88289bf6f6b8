import { MigrationInterface, QueryRunner } from 'typeorm';

export class SignInHistory1764375900000 implements MigrationInterface {
  name = 'SignInHistory1764375900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The role a successful sign-in granted, and whether the settings page's test started it.
    await queryRunner.query(`ALTER TABLE login_attempts ADD COLUMN role text`);
    await queryRunner.query(`ALTER TABLE login_attempts ADD COLUMN test boolean NOT NULL DEFAULT false`);
    // The admin looks up the reference a user quotes from the error page.
    await queryRunner.query(
      `CREATE INDEX login_attempts_reference_idx ON login_attempts (tenant_type, tenant_id, reference) WHERE reference IS NOT NULL`,
    );
    // A refused sign-in is told test or real by the request its RelayState names: found by index, also under a flood of forged posts.
    await queryRunner.query(`CREATE INDEX authn_requests_relay_state_idx ON authn_requests (relay_state)`);
    // Why the last metadata refresh failed, as a code the pages put in words (the message stays for the API).
    await queryRunner.query(`ALTER TABLE sso_configs ADD COLUMN idp_refresh_error_code text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sso_configs DROP COLUMN idp_refresh_error_code`);
    await queryRunner.query(`DROP INDEX authn_requests_relay_state_idx`);
    await queryRunner.query(`DROP INDEX login_attempts_reference_idx`);
    await queryRunner.query(`ALTER TABLE login_attempts DROP COLUMN test`);
    await queryRunner.query(`ALTER TABLE login_attempts DROP COLUMN role`);
  }
}
