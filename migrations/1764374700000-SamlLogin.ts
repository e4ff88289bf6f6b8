import { MigrationInterface, QueryRunner } from 'typeorm';

export class SamlLogin1764374700000 implements MigrationInterface {
  name = 'SamlLogin1764374700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // AuthnRequests we issued; RelayState carries only the opaque `relay_state` reference.
    await queryRunner.query(`
      CREATE TABLE authn_requests (
        id text PRIMARY KEY,
        tenant_type text NOT NULL,
        tenant_id uuid NOT NULL,
        relay_state text NOT NULL UNIQUE,
        return_to text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        consumed_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX authn_requests_expires_idx ON authn_requests (expires_at)`);
    // The replay cache: an assertion ID is accepted once per tenant until it could no longer be valid.
    await queryRunner.query(`
      CREATE TABLE used_assertions (
        tenant_type text NOT NULL,
        tenant_id uuid NOT NULL,
        assertion_id text NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_type, tenant_id, assertion_id)
      )`);
    await queryRunner.query(`CREATE INDEX used_assertions_expires_idx ON used_assertions (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE used_assertions`);
    await queryRunner.query(`DROP TABLE authn_requests`);
  }
}
