import { MigrationInterface, QueryRunner } from 'typeorm';

export class DirectoryGroupsFromMemberships1764376000000 implements MigrationInterface {
  name = 'DirectoryGroupsFromMemberships1764376000000';

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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE users SET groups = directory_user_groups(id) WHERE scim_managed`);
    await queryRunner.query(`DROP FUNCTION directory_user_groups(uuid)`);
  }
}
