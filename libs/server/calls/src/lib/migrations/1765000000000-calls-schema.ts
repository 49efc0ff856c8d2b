import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

const time = (name: string, nullable = false) => ({
  name,
  type: 'varchar',
  length: '32',
  isNullable: nullable,
});

function fkCall(): TableForeignKey {
  return new TableForeignKey({
    columnNames: ['call_id'],
    referencedTableName: 'calls',
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });
}

/**
 * Call history and user preferences. QueryRunner schema API only (no raw SQL): the same migration
 * runs on SQLite and PostgreSQL. User ids are not foreign keys on purpose: history outlives a user
 * removed from the directory.
 */
export class CallsSchema1765000000000 implements MigrationInterface {
  name = 'CallsSchema1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'calls',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'provider_type', type: 'varchar', length: '40' },
          { name: 'target_kind', type: 'varchar', length: '16' },
          { name: 'target_id', type: 'varchar', length: '36' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'caller_id', type: 'varchar', length: '36' },
          { name: 'owner_id', type: 'varchar', length: '36' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'outcome', type: 'varchar', length: '16', isNullable: true },
          { name: 'end_reason', type: 'varchar', length: '300', isNullable: true },
          time('created_at'),
          time('answered_at', true),
          time('ended_at', true),
          { name: 'duration_ms', type: 'integer', default: 0 },
        ],
        indices: [
          new TableIndex({ name: 'idx_calls_caller', columnNames: ['caller_id', 'created_at'] }),
          new TableIndex({ name: 'idx_calls_state', columnNames: ['state'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'call_participants',
        columns: [
          { name: 'call_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'position', type: 'integer' },
          { name: 'state', type: 'varchar', length: '16' },
          time('joined_at', true),
          time('left_at', true),
        ],
        foreignKeys: [fkCall()],
        indices: [new TableIndex({ name: 'idx_call_participants_user', columnNames: ['user_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'call_events',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'call_id', type: 'varchar', length: '36' },
          { name: 'type', type: 'varchar', length: '32' },
          { name: 'user_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'detail', type: 'varchar', length: '300', isNullable: true },
          time('at'),
        ],
        foreignKeys: [fkCall()],
        indices: [new TableIndex({ name: 'idx_call_events_call', columnNames: ['call_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'user_preferences',
        columns: [
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'data', type: 'text' },
          time('updated_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('user_preferences');
    await queryRunner.dropTable('call_events');
    await queryRunner.dropTable('call_participants');
    await queryRunner.dropTable('calls');
  }
}
