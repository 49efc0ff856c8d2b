import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type FindOptionsWhere, In, IsNull, LessThan, Repository } from 'typeorm';
import { MessageEntity } from '../entities';

@Injectable()
export class MessageRepository {
  constructor(@InjectRepository(MessageEntity) private readonly messages: Repository<MessageEntity>) {}

  async create(message: MessageEntity): Promise<MessageEntity> {
    await this.messages.insert(message);
    return { ...message, threadId: message.threadId ?? null, attachment: message.attachment ?? null };
  }

  findById(id: string): Promise<MessageEntity | null> {
    return this.messages.findOneBy({ id });
  }

  /**
   * Newest first; only messages strictly older than `before` when given. `threadId` null (the
   * default): the room's root messages; an id: the replies of that thread.
   */
  list(
    roomId: string,
    limit: number,
    before?: string,
    threadId: string | null = null,
  ): Promise<MessageEntity[]> {
    const where: FindOptionsWhere<MessageEntity> = { roomId, threadId: threadId ?? IsNull() };
    if (before) where.createdAt = LessThan(before);
    return this.messages.find({ where, order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /** Number of replies per root message id, in one grouped query (roots without replies are absent). */
  async replyCounts(rootIds: string[]): Promise<Map<string, number>> {
    if (rootIds.length === 0) {
      return new Map();
    }
    const rows = await this.messages
      .createQueryBuilder('m')
      .select('m.threadId', 'threadId')
      .addSelect('COUNT(*)', 'replies')
      .where({ threadId: In(rootIds) })
      .groupBy('m.threadId')
      .getRawMany<{ threadId: string; replies: string | number }>();
    return new Map(rows.map((row) => [row.threadId, Number(row.replies)]));
  }

  /** Time of the latest message per room id (rooms without messages are absent). */
  async lastMessageAt(roomIds: string[]): Promise<Map<string, string>> {
    if (roomIds.length === 0) {
      return new Map();
    }
    const rows = await this.messages
      .createQueryBuilder('m')
      .select('m.roomId', 'roomId')
      .addSelect('MAX(m.createdAt)', 'last')
      .where({ roomId: In(roomIds) })
      .groupBy('m.roomId')
      .getRawMany<{ roomId: string; last: string }>();
    return new Map(rows.map((row) => [row.roomId, row.last]));
  }
}
