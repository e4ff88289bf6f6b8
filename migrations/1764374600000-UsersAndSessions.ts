import { MigrationInterface, QueryRunner } from 'typeorm';

export class UsersAndSessions1764374600000 implements MigrationInterface {
  name = 'UsersAndSessions1764374600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        tenant_type text NOT NULL CHECK (tenant_type IN ('organization', 'partner')),
        tenant_id uuid NOT NULL,
        email text NOT NULL,
        email_normalized text NOT NULL,
        first_name text,
        last_name text,
        groups jsonb NOT NULL DEFAULT '[]',
        role text NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
        active boolean NOT NULL DEFAULT true,
        external_id text,
        name_id_format text,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_tenant_email_key UNIQUE (tenant_type, tenant_id, email_normalized)
      )`);
    await queryRunner.query(`CREATE INDEX users_tenant_created_idx ON users (tenant_type, tenant_id, created_at, id)`);
    await queryRunner.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        tenant_type text NOT NULL,
        tenant_id uuid NOT NULL,
        name_id text,
        name_id_format text,
        session_index text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX sessions_user_idx ON sessions (user_id)`);
    await queryRunner.query(`CREATE INDEX sessions_expires_idx ON sessions (expires_at)`);
    await queryRunner.query(`CREATE INDEX sessions_name_id_idx ON sessions (tenant_type, tenant_id, name_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sessions`);
    await queryRunner.query(`DROP TABLE users`);
  }
}
