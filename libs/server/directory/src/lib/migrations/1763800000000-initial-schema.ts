import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/** Column shapes and the cascading foreign key of the directory's tables (later migrations too). */
export const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
export const createdAt = { name: 'created_at', type: 'varchar', length: '32' };

export function fk(column: string, table: string): TableForeignKey {
  return new TableForeignKey({
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });
}

/**
 * The whole directory schema. Written with the QueryRunner schema API only (no raw SQL), so the
 * same migration runs on SQLite and PostgreSQL. Times are ISO 8601 strings in varchar columns.
 */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          { name: 'username', type: 'varchar', length: '100', isUnique: true },
          { name: 'display_name', type: 'varchar', length: '200' },
          { name: 'email', type: 'varchar', length: '320', isNullable: true },
          { name: 'title', type: 'varchar', length: '200', isNullable: true },
          { name: 'password_hash', type: 'varchar', length: '255', isNullable: true },
          { name: 'presence', type: 'varchar', length: '16', default: "'available'" },
          createdAt,
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'groups',
        columns: [id, { name: 'name', type: 'varchar', length: '200', isUnique: true }, createdAt],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'memberships',
        columns: [
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'group_id', type: 'varchar', length: '36', isPrimary: true },
        ],
        foreignKeys: [fk('user_id', 'users'), fk('group_id', 'groups')],
        indices: [new TableIndex({ name: 'idx_memberships_group', columnNames: ['group_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'rooms',
        columns: [
          id,
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'name', type: 'varchar', length: '120', isUnique: true },
          { name: 'title', type: 'varchar', length: '200' },
          createdAt,
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'room_members',
        columns: [
          { name: 'room_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
        ],
        foreignKeys: [fk('room_id', 'rooms'), fk('user_id', 'users')],
        indices: [new TableIndex({ name: 'idx_room_members_user', columnNames: ['user_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'messages',
        columns: [
          id,
          { name: 'room_id', type: 'varchar', length: '36' },
          { name: 'author_id', type: 'varchar', length: '36' },
          { name: 'body', type: 'text' },
          createdAt,
        ],
        foreignKeys: [fk('room_id', 'rooms'), fk('author_id', 'users')],
        indices: [
          new TableIndex({ name: 'idx_messages_room_created', columnNames: ['room_id', 'created_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'posts',
        columns: [
          id,
          { name: 'author_id', type: 'varchar', length: '36' },
          { name: 'body', type: 'text' },
          createdAt,
        ],
        foreignKeys: [fk('author_id', 'users')],
        indices: [new TableIndex({ name: 'idx_posts_created', columnNames: ['created_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['posts', 'messages', 'room_members', 'rooms', 'memberships', 'groups', 'users']) {
      await queryRunner.dropTable(table, true, true, true);
    }
  }
}
