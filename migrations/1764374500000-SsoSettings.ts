import { MigrationInterface, QueryRunner } from 'typeorm';

export class SsoSettings1764374500000 implements MigrationInterface {
  name = 'SsoSettings1764374500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sso_configs (
        tenant_type text NOT NULL CHECK (tenant_type IN ('organization', 'partner')),
        tenant_id uuid NOT NULL,
        enabled boolean NOT NULL,
        sp_certificate text NOT NULL,
        sp_private_key_sealed text NOT NULL,
        sp_key_id text NOT NULL,
        idp jsonb,
        idp_metadata_url text,
        idp_refreshed_at timestamptz,
        idp_refresh_error text,
        attribute_mapping jsonb NOT NULL,
        role_mapping jsonb NOT NULL DEFAULT '[]',
        default_role text NOT NULL DEFAULT 'member' CHECK (default_role IN ('admin', 'member', 'viewer')),
        just_in_time_provisioning boolean NOT NULL DEFAULT true,
        enforce_sso boolean NOT NULL DEFAULT false,
        groups_override_role boolean NOT NULL DEFAULT true,
        allow_idp_initiated boolean NOT NULL DEFAULT true,
        clock_skew_seconds integer NOT NULL DEFAULT 120 CHECK (clock_skew_seconds BETWEEN 0 AND 600),
        allow_sha1_signatures boolean NOT NULL DEFAULT false,
        allow_cbc_encryption boolean NOT NULL DEFAULT false,
        allowed_email_domains jsonb NOT NULL DEFAULT '[]',
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_type, tenant_id)
      )`);
    await queryRunner.query(`CREATE INDEX sso_configs_metadata_url_idx ON sso_configs (idp_refreshed_at) WHERE idp_metadata_url IS NOT NULL`);
    // One tenant per email domain across the whole service: the primary key is the guarantee.
    await queryRunner.query(`
      CREATE TABLE sso_domains (
        domain text PRIMARY KEY,
        tenant_type text NOT NULL,
        tenant_id uuid NOT NULL,
        FOREIGN KEY (tenant_type, tenant_id) REFERENCES sso_configs (tenant_type, tenant_id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX sso_domains_tenant_idx ON sso_domains (tenant_type, tenant_id)`);
    await queryRunner.query(`
      CREATE TABLE sso_audit_log (
        id uuid PRIMARY KEY,
        tenant_type text NOT NULL,
        tenant_id uuid NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        actor_type text NOT NULL,
        actor_id text,
        action text NOT NULL,
        changes jsonb NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX sso_audit_log_tenant_idx ON sso_audit_log (tenant_type, tenant_id, at DESC)`);
    await queryRunner.query(`
      CREATE TABLE login_attempts (
        id uuid PRIMARY KEY,
        tenant_type text NOT NULL,
        tenant_id uuid NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
        reason text,
        email text,
        assertion_id text
      )`);
    await queryRunner.query(`CREATE INDEX login_attempts_tenant_idx ON login_attempts (tenant_type, tenant_id, at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE login_attempts`);
    await queryRunner.query(`DROP TABLE sso_audit_log`);
    await queryRunner.query(`DROP TABLE sso_domains`);
    await queryRunner.query(`DROP TABLE sso_configs`);
  }
}
