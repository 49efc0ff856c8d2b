import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const updatedAt = { name: 'updated_at', type: 'varchar', length: '32' };

/**
 * Provider registry, ICE servers, conferencing settings and the admin audit log. QueryRunner schema
 * API only (no raw SQL): the same migration runs on SQLite and PostgreSQL.
 */
export class ConferencingSchema1764000000000 implements MigrationInterface {
  name = 'ConferencingSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'provider_configs',
        columns: [
          { name: 'type', type: 'varchar', length: '64', isPrimary: true },
          { name: 'active', type: 'boolean' },
          { name: 'settings', type: 'text' },
          { name: 'position', type: 'integer' },
          updatedAt,
          { name: 'updated_by', type: 'varchar', length: '200', isNullable: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'ice_servers',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'label', type: 'varchar', length: '200' },
          { name: 'urls', type: 'text' },
          { name: 'credential_type', type: 'varchar', length: '16' },
          { name: 'username', type: 'varchar', length: '200', isNullable: true },
          { name: 'credential', type: 'text', isNullable: true },
          { name: 'shared_secret', type: 'text', isNullable: true },
          { name: 'ttl_seconds', type: 'integer', isNullable: true },
          { name: 'enabled', type: 'boolean' },
          { name: 'position', type: 'integer' },
          { name: 'is_default', type: 'boolean' },
          { name: 'created_at', type: 'varchar', length: '32' },
          updatedAt,
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'conferencing_settings',
        columns: [
          { name: 'key', type: 'varchar', length: '100', isPrimary: true },
          { name: 'value', type: 'text' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'at', type: 'varchar', length: '32' },
          { name: 'actor_id', type: 'varchar', length: '36' },
          { name: 'actor_name', type: 'varchar', length: '200' },
          { name: 'action', type: 'varchar', length: '64' },
          { name: 'target', type: 'varchar', length: '200' },
          { name: 'details', type: 'text' },
        ],
        indices: [new TableIndex({ name: 'idx_audit_log_at', columnNames: ['at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'conferencing_settings', 'ice_servers', 'provider_configs']) {
      await queryRunner.dropTable(table, true, true, true);
    }
  }
}
