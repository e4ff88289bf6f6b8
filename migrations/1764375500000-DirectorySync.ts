import { MigrationInterface, QueryRunner } from 'typeorm';

export class DirectorySync1764375500000 implements MigrationInterface {
  name = 'DirectorySync1764375500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // SCIM-managed users keep the directory's own names for them (userName, externalId) and the rest of
    // the SCIM document (emails, title, the enterprise extension, ...) so that a read gives back what was sent.
    await queryRunner.query(`
      ALTER TABLE users
        ADD COLUMN scim_managed boolean NOT NULL DEFAULT false,
        ADD COLUMN scim_user_name text,
        ADD COLUMN scim_external_id text,
        ADD COLUMN display_name text,
        ADD COLUMN scim_document jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX users_tenant_scim_user_name_key ON users (tenant_type, tenant_id, lower(scim_user_name)) WHERE scim_user_name IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX users_tenant_scim_external_id_idx ON users (tenant_type, tenant_id, scim_external_id) WHERE scim_external_id IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE scim_tokens (
        id uuid PRIMARY KEY,
        tenant_type text NOT NULL CHECK (tenant_type IN ('organization', 'partner')),
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX scim_tokens_tenant_idx ON scim_tokens (tenant_type, tenant_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE scim_groups (
        id uuid PRIMARY KEY,
        tenant_type text NOT NULL CHECK (tenant_type IN ('organization', 'partner')),
        tenant_id uuid NOT NULL,
        display_name text NOT NULL,
        external_id text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX scim_groups_tenant_display_name_key ON scim_groups (tenant_type, tenant_id, lower(display_name))`);
    await queryRunner.query(`CREATE INDEX scim_groups_tenant_created_idx ON scim_groups (tenant_type, tenant_id, created_at, id)`);
    await queryRunner.query(`
      CREATE TABLE scim_group_members (
        group_id uuid NOT NULL REFERENCES scim_groups (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, user_id)
      )`);
    await queryRunner.query(`CREATE INDEX scim_group_members_user_idx ON scim_group_members (user_id)`);
    await queryRunner.query(`
      CREATE TABLE scim_requests (
        id uuid PRIMARY KEY,
        tenant_type text NOT NULL,
        tenant_id uuid NOT NULL,
        token_id uuid,
        at timestamptz NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        status integer NOT NULL,
        scim_type text,
        detail text
      )`);
    await queryRunner.query(`CREATE INDEX scim_requests_tenant_at_idx ON scim_requests (tenant_type, tenant_id, at DESC)`);
    await queryRunner.query(`CREATE INDEX scim_requests_at_idx ON scim_requests (at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE scim_requests`);
    await queryRunner.query(`DROP TABLE scim_group_members`);
    await queryRunner.query(`DROP TABLE scim_groups`);
    await queryRunner.query(`DROP TABLE scim_tokens`);
    await queryRunner.query(`DROP INDEX users_tenant_scim_external_id_idx`);
    await queryRunner.query(`DROP INDEX users_tenant_scim_user_name_key`);
    await queryRunner.query(
      `ALTER TABLE users DROP COLUMN scim_managed, DROP COLUMN scim_user_name, DROP COLUMN scim_external_id, DROP COLUMN display_name, DROP COLUMN scim_document`,
    );
  }
}
