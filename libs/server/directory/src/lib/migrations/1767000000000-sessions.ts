import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { createdAt, fk, id } from './1763800000000-initial-schema';

const EXPIRY_INDEX = 'idx_sessions_expires_at';

/**
 * Server-side sessions: one row per sign-in (the token's `sid`), so logout revokes it
 * (`revoked_at`). Rows past `expires_at` are deleted at start-up. Schema API only, so it runs on
 * SQLite and PostgreSQL alike. Tokens issued before this migration carry no `sid`: they stop
 * working and their users sign in again.
 */
export class Sessions1767000000000 implements MigrationInterface {
  name = 'Sessions1767000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          id,
          { name: 'user_id', type: 'varchar', length: '36' },
          createdAt,
          { name: 'expires_at', type: 'varchar', length: '32' },
          { name: 'revoked_at', type: 'varchar', length: '32', isNullable: true },
        ],
        foreignKeys: [fk('user_id', 'users')],
        indices: [new TableIndex({ name: EXPIRY_INDEX, columnNames: ['expires_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sessions');
  }
}
