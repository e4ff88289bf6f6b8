import { MigrationInterface, QueryRunner } from 'typeorm';

export class SetupLinks1764375700000 implements MigrationInterface {
  name = 'SetupLinks1764375700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Only hashes of the link and access tokens are stored: the link's token lives in its URL alone.
    await queryRunner.query(`
      CREATE TABLE setup_links (
        id uuid PRIMARY KEY,
        tenant_type text NOT NULL CHECK (tenant_type IN ('organization', 'partner')),
        tenant_id uuid NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX setup_links_tenant_idx ON setup_links (tenant_type, tenant_id, created_at)`);
    await queryRunner.query(`CREATE INDEX setup_links_expires_idx ON setup_links (expires_at)`);
    await queryRunner.query(`
      CREATE TABLE setup_link_tokens (
        id uuid PRIMARY KEY,
        link_id uuid NOT NULL REFERENCES setup_links (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX setup_link_tokens_link_idx ON setup_link_tokens (link_id)`);
    await queryRunner.query(`CREATE INDEX setup_link_tokens_expires_idx ON setup_link_tokens (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE setup_link_tokens`);
    await queryRunner.query(`DROP TABLE setup_links`);
  }
}
