import { MigrationInterface, QueryRunner } from 'typeorm';

export class SingleLogout1764375000000 implements MigrationInterface {
  name = 'SingleLogout1764375000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The NameID attributes of the assertion besides Format, kept as the IdP wrote them: its
    // LogoutRequest must carry the same identifier back (SAML core 3.7.1).
    await queryRunner.query(`
      ALTER TABLE sessions
        ADD COLUMN name_id_name_qualifier text,
        ADD COLUMN name_id_sp_name_qualifier text,
        ADD COLUMN name_id_sp_provided_id text`);
    // LogoutRequests this service sent, so that any instance matches the IdP's LogoutResponse once.
    // The session has already ended when its LogoutRequest leaves, hence no foreign key to it.
    await queryRunner.query(`
      CREATE TABLE logout_requests (
        id text PRIMARY KEY,
        tenant_type text NOT NULL,
        tenant_id uuid NOT NULL,
        session_id uuid NOT NULL,
        user_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        consumed_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX logout_requests_expires_idx ON logout_requests (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE logout_requests`);
    await queryRunner.query(`
      ALTER TABLE sessions
        DROP COLUMN name_id_sp_provided_id,
        DROP COLUMN name_id_sp_name_qualifier,
        DROP COLUMN name_id_name_qualifier`);
  }
}
