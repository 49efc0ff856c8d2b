import type { MessageAttachment } from '@parley/protocol';
import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** JSON in a text column (the same on SQLite and PostgreSQL). */
const json: ValueTransformer = {
  to: (value: unknown) => (value === undefined || value === null ? value : JSON.stringify(value)),
  from: (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : null),
};

/** The columns a chat message and an activity post share: who wrote what, when. */
abstract class WrittenText {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'author_id', type: 'varchar', length: 36 })
  authorId!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}

@Entity({ name: 'messages' })
@Index('idx_messages_room_created', ['roomId', 'createdAt'])
@Index('idx_messages_room_thread', ['roomId', 'threadId'])
export class MessageEntity extends WrittenText {
  @Column({ name: 'room_id', type: 'varchar', length: 36 })
  roomId!: string;

  /** A reply: the id of its thread's root message (same room). Null for root messages. */
  @Column({ name: 'thread_id', type: 'varchar', length: 36, nullable: true })
  threadId?: string | null;

  /** A file posted with the message (JSON text), or null. */
  @Column({ type: 'text', nullable: true, transformer: json })
  attachment?: MessageAttachment | null;
}

@Entity({ name: 'posts' })
@Index('idx_posts_created', ['createdAt'])
export class PostEntity extends WrittenText {}
