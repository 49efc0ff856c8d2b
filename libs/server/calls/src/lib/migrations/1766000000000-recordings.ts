import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const time = (name: string, nullable = false) => ({
  name,
  type: 'varchar',
  length: '32',
  isNullable: nullable,
});

/**
 * Call recordings (docs/calls.md "Recording"). QueryRunner schema API only (no raw SQL): the same
 * migration runs on SQLite and PostgreSQL. No foreign key to `calls`: a call's history row is
 * written behind and may land after the recording's.
 */
export class Recordings1766000000000 implements MigrationInterface {
  name = 'Recordings1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'recordings',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'call_id', type: 'varchar', length: '36' },
          { name: 'room_id', type: 'varchar', length: '36' },
          { name: 'file_name', type: 'varchar', length: '200' },
          { name: 'relative_path', type: 'varchar', length: '300' },
          { name: 'mime_type', type: 'varchar', length: '100' },
          { name: 'size_bytes', type: 'bigint', default: 0 },
          { name: 'duration_ms', type: 'integer', default: 0 },
          { name: 'started_by', type: 'varchar', length: '36' },
          time('started_at'),
          time('stopped_at', true),
          { name: 'stop_reason', type: 'varchar', length: '32', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'idx_recordings_call', columnNames: ['call_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('recordings');
  }
}
