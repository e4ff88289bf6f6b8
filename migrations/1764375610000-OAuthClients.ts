import { MigrationInterface, QueryRunner } from 'typeorm';

export class OAuthClients1764375610000 implements MigrationInterface {
  name = 'OAuthClients1764375610000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The secret only sealed (SecretBox, bound to the client id); redirect URIs exactly as registered.
    await queryRunner.query(`
      CREATE TABLE oauth_clients (
        client_id text PRIMARY KEY,
        name text NOT NULL,
        client_secret_sealed text NOT NULL,
        redirect_uris jsonb NOT NULL,
        post_logout_redirect_uris jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE oauth_clients`);
  }
}
