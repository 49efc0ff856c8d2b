import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

const CALLS_CREATED = 'idx_calls_created';
const RECORDINGS_STOPPED = 'idx_recordings_stopped';

/**
 * Retention (docs/operations.md "Retention"): `recordings.message_id`, the post in the call's
 * thread that offers the file (rewritten when the recording is deleted; null for recordings posted
 * before this migration or never posted), and the indexes the daily sweep reads by. Schema API
 * only, so it runs on SQLite and PostgreSQL alike.
 */
export class Retention1767300000000 implements MigrationInterface {
  name = 'Retention1767300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'recordings',
      new TableColumn({ name: 'message_id', type: 'varchar', length: '36', isNullable: true }),
    );
    await queryRunner.createIndex(
      'recordings',
      new TableIndex({ name: RECORDINGS_STOPPED, columnNames: ['stopped_at'] }),
    );
    await queryRunner.createIndex(
      'calls',
      new TableIndex({ name: CALLS_CREATED, columnNames: ['created_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('calls', CALLS_CREATED);
    await queryRunner.dropIndex('recordings', RECORDINGS_STOPPED);
    await queryRunner.dropColumn('recordings', 'message_id');
  }
}
