import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `sso_configs.sp_key_id` was written once and never read: the sealed private key already names
 * the key that opens it (`v1:<keyId>:…`, authenticated with the value), and a second copy could
 * only drift from it.
 */
export class DropSpKeyId1764375100000 implements MigrationInterface {
  name = 'DropSpKeyId1764375100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sso_configs DROP COLUMN sp_key_id`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sso_configs ADD COLUMN sp_key_id text`);
    await queryRunner.query(`UPDATE sso_configs SET sp_key_id = split_part(sp_private_key_sealed, ':', 2)`);
    await queryRunner.query(`ALTER TABLE sso_configs ALTER COLUMN sp_key_id SET NOT NULL`);
  }
}
