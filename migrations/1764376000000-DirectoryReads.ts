import { MigrationInterface, QueryRunner } from 'typeorm';

export class DirectoryReads1764376000000 implements MigrationInterface {
  name = 'DirectoryReads1764376000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A directory-managed user's groups are read from the SCIM memberships where they are shown,
    // instead of being copied onto the users row by every membership change: in a directory's
    // first cycle each user is in dozens of groups, and the copies rewrote every member's row on
    // every member PATCH. This function is the one read the users' module makes of the SCIM tables.
    await queryRunner.query(`
      CREATE FUNCTION directory_user_groups(member uuid) RETURNS jsonb LANGUAGE sql STABLE AS $$
        SELECT coalesce(jsonb_agg(g.display_name ORDER BY g.display_name, g.id), '[]'::jsonb)
        FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id
        WHERE m.user_id = member
      $$`);
    await queryRunner.query(`UPDATE users SET groups = '[]' WHERE scim_managed AND groups <> '[]'`);
    // `userName eq "…"`, which a directory sends before every create: the userName, or the email of
    // a user only SAML logins created, lower-cased (see USER_FILTER_ATTRIBUTES).
    await queryRunner.query(
      `CREATE INDEX users_tenant_scim_login_idx ON users (tenant_type, tenant_id, (coalesce(lower(scim_user_name), email_normalized)))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX users_tenant_scim_login_idx`);
    await queryRunner.query(`UPDATE users SET groups = directory_user_groups(id) WHERE scim_managed`);
    await queryRunner.query(`DROP FUNCTION directory_user_groups(uuid)`);
  }
}
