import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { fk } from './1763800000000-initial-schema';

const PROVIDER_INDEX = 'idx_im_accounts_provider';

/**
 * Users' IM accounts, one per user and provider type (the provider's `imAccount` field), looked up
 * by provider for the users of a call. Schema API only, so it runs on SQLite and PostgreSQL alike.
 */
export class ImAccounts1767400000000 implements MigrationInterface {
  name = 'ImAccounts1767400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'im_accounts',
        columns: [
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'provider_type', type: 'varchar', length: '40', isPrimary: true },
          { name: 'value', type: 'varchar', length: '200' },
          { name: 'updated_at', type: 'varchar', length: '32' },
        ],
        foreignKeys: [fk('user_id', 'users')],
        indices: [new TableIndex({ name: PROVIDER_INDEX, columnNames: ['provider_type', 'user_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('im_accounts');
  }
}
