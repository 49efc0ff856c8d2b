import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

const THREAD_INDEX = 'idx_messages_room_thread';

/**
 * Threads and attachments on messages: `thread_id` (the root message of the thread a reply belongs
 * to, null for root messages) indexed with `room_id`, and `attachment` (JSON text, null when none).
 * Schema API only, so it runs on SQLite and PostgreSQL alike.
 */
export class MessageThreads1766100000000 implements MigrationInterface {
  name = 'MessageThreads1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('messages', [
      new TableColumn({ name: 'thread_id', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'attachment', type: 'text', isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'messages',
      new TableIndex({ name: THREAD_INDEX, columnNames: ['room_id', 'thread_id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('messages', THREAD_INDEX);
    await queryRunner.dropColumns('messages', ['attachment', 'thread_id']);
  }
}
