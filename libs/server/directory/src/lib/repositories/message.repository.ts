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

  /** Changes a stored message's body and attachment; false when there is no such message. */
  async update(id: string, patch: Pick<MessageEntity, 'body' | 'attachment'>): Promise<boolean> {
    const result = await this.messages.update({ id }, patch);
    return (result.affected ?? 0) > 0;
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
    const counts = await this.perValue('threadId', rootIds, 'COUNT(*)');
    return new Map([...counts].map(([id, replies]) => [id, Number(replies)]));
  }

  /** Time of the latest message per room id (rooms without messages are absent). */
  async lastMessageAt(roomIds: string[]): Promise<Map<string, string>> {
    return (await this.perValue('roomId', roomIds, 'MAX(m.createdAt)')) as Map<string, string>;
  }

  /** `aggregate` (SQL over the messages `m`) per value of `column` among `values`, in one grouped query. */
  private async perValue(
    column: 'roomId' | 'threadId',
    values: string[],
    aggregate: string,
  ): Promise<Map<string, string | number>> {
    if (values.length === 0) {
      return new Map();
    }
    const rows = await this.messages
      .createQueryBuilder('m')
      .select(`m.${column}`, 'key')
      .addSelect(aggregate, 'aggregate')
      .where({ [column]: In(values) })
      .groupBy(`m.${column}`)
      .getRawMany<{ key: string; aggregate: string | number }>();
    return new Map(rows.map((row) => [row.key, row.aggregate]));
  }
}
