import { MigrationInterface, QueryRunner } from 'typeorm';

export class PartnerOrganizationsByName1764375800000 implements MigrationInterface {
  name = 'PartnerOrganizationsByName1764375800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A partner's organizations are listed by name a page at a time (the partner's view), and searched within one partner.
    await queryRunner.query(`CREATE INDEX organizations_partner_name_idx ON organizations (partner_id, lower(name), id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX organizations_partner_name_idx`);
  }
}
