import { randomBytes, randomUUID } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class VerifiedDomains1764375300000 implements MigrationInterface {
  name = 'VerifiedDomains1764375300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE domain_claims (
        id uuid PRIMARY KEY,
        tenant_type text NOT NULL CHECK (tenant_type IN ('organization', 'partner')),
        tenant_id uuid NOT NULL,
        domain text NOT NULL,
        token text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'verified', 'failed')),
        reason text,
        verified_by text CHECK (verified_by IN ('dns', 'manual')),
        verified_at timestamptz,
        last_checked_at timestamptz,
        record_missing_since timestamptz,
        created_at timestamptz NOT NULL,
        UNIQUE (tenant_type, tenant_id, domain)
      )`);
    // One verified claim per domain across the service: the first verification wins, on every instance.
    await queryRunner.query(`CREATE UNIQUE INDEX domain_claims_verified_domain_idx ON domain_claims (domain) WHERE status = 'verified'`);
    await queryRunner.query(`CREATE INDEX domain_claims_recheck_idx ON domain_claims (last_checked_at) WHERE status = 'verified'`);
    // No deployment trusted the old first-come claims, so each becomes a pending claim to prove.
    const existing: { domain: string; tenant_type: string; tenant_id: string }[] = await queryRunner.query(
      'SELECT domain, tenant_type, tenant_id FROM sso_domains',
    );
    for (const row of existing) {
      await queryRunner.query(
        `INSERT INTO domain_claims (id, tenant_type, tenant_id, domain, token, status, created_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', now())`,
        [randomUUID(), row.tenant_type, row.tenant_id, row.domain, randomBytes(20).toString('hex')],
      );
    }
    await queryRunner.query('DROP TABLE sso_domains');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sso_domains (
        domain text PRIMARY KEY,
        tenant_type text NOT NULL,
        tenant_id uuid NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX sso_domains_tenant_idx ON sso_domains (tenant_type, tenant_id)`);
    await queryRunner.query(`
      INSERT INTO sso_domains (domain, tenant_type, tenant_id)
      SELECT DISTINCT ON (domain) domain, tenant_type, tenant_id FROM domain_claims
      ORDER BY domain, (status = 'verified') DESC, created_at`);
    await queryRunner.query('DROP TABLE domain_claims');
  }
}
