import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, Repository } from 'typeorm';
import { MessageEntity } from '../entities';

@Injectable()
export class MessageRepository {
  constructor(@InjectRepository(MessageEntity) private readonly messages: Repository<MessageEntity>) {}

  async create(message: MessageEntity): Promise<MessageEntity> {
    await this.messages.insert(message);
    return message;
  }

  /** Newest first; only messages strictly older than `before` when given. */
  list(roomId: string, limit: number, before?: string): Promise<MessageEntity[]> {
    return this.messages.find({
      where: before ? { roomId, createdAt: LessThan(before) } : { roomId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
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
