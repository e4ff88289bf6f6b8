import { MigrationInterface, QueryRunner } from 'typeorm';

export class OidcProvider1764375600000 implements MigrationInterface {
  name = 'OidcProvider1764375600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Every model oidc-provider stores (sessions, interactions, codes, grants, refresh tokens…), one
    // row each: the payload as oidc-provider hands it over, and the columns it looks models up by.
    await queryRunner.query(`
      CREATE TABLE oidc_payloads (
        model text NOT NULL,
        id text NOT NULL,
        payload jsonb NOT NULL,
        grant_id text,
        uid text,
        user_code text,
        expires_at timestamptz,
        consumed_at timestamptz,
        PRIMARY KEY (model, id)
      )`);
    await queryRunner.query(`CREATE INDEX oidc_payloads_grant_idx ON oidc_payloads (grant_id) WHERE grant_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX oidc_payloads_uid_idx ON oidc_payloads (uid) WHERE uid IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX oidc_payloads_expires_idx ON oidc_payloads (expires_at)`);
    // The provider's signing keys, the private JWK sealed with ENCRYPTION_KEY. A key is published
    // from its creation and signs from activates_at; the newest active key signs.
    await queryRunner.query(`
      CREATE TABLE oidc_signing_keys (
        kid text PRIMARY KEY,
        private_jwk text NOT NULL,
        created_at timestamptz NOT NULL,
        activates_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX oidc_signing_keys_activates_idx ON oidc_signing_keys (activates_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE oidc_signing_keys`);
    await queryRunner.query(`DROP TABLE oidc_payloads`);
  }
}
