import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, Repository } from 'typeorm';
import { CallEntity, CallEventEntity, CallParticipantEntity } from '../entities';

/** The call history tables: `calls`, `call_participants`, `call_events`. */
@Injectable()
export class CallRepository {
  constructor(
    @InjectRepository(CallEntity) private readonly calls: Repository<CallEntity>,
    @InjectRepository(CallParticipantEntity) private readonly participants: Repository<CallParticipantEntity>,
    @InjectRepository(CallEventEntity) private readonly events: Repository<CallEventEntity>,
  ) {}

  /** Calls still ringing or active. */
  findOpen(): Promise<CallEntity[]> {
    return this.calls.find({ where: { state: In(['ringing', 'active']) } });
  }

  /**
   * Saves a call's row and its participants' (inserted or updated) and adds its new events, in one
   * transaction (one fsync on SQLite, whose driver blocks the event loop).
   */
  async save(
    call: CallEntity,
    participants: CallParticipantEntity[],
    events: CallEventEntity[],
  ): Promise<void> {
    await this.calls.manager.transaction(async (manager) => {
      await manager.getRepository(CallEntity).save(call);
      if (participants.length > 0) await manager.getRepository(CallParticipantEntity).save(participants);
      if (events.length > 0) await manager.getRepository(CallEventEntity).insert(events);
    });
  }

  /** The user's calls, newest first; with `withUserId`, only those both users took part in. */
  findOfUser(userId: string, withUserId: string | undefined, limit: number): Promise<CallEntity[]> {
    const query = this.calls
      .createQueryBuilder('c')
      .innerJoin(CallParticipantEntity, 'me', 'me.call_id = c.id AND me.user_id = :userId', { userId });
    if (withUserId) {
      query.innerJoin(CallParticipantEntity, 'other', 'other.call_id = c.id AND other.user_id = :other', {
        other: withUserId,
      });
    }
    return query.orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'ASC').limit(limit).getMany();
  }

  /** The participants of these calls, each call's in position order. */
  participantsOf(callIds: string[]): Promise<CallParticipantEntity[]> {
    return this.participants.find({ where: { callId: In(callIds) }, order: { position: 'ASC' } });
  }

  /** A call's events, oldest first. */
  eventsOf(callId: string): Promise<CallEventEntity[]> {
    return this.events.find({ where: { callId }, order: { at: 'ASC' } });
  }

  /**
   * Retention: deletes at most `limit` ended calls created before `before` (ISO), with their
   * participants and events, in one transaction. Answers how many calls went (0: nothing left).
   */
  async deleteEndedBefore(before: string, limit: number): Promise<number> {
    const ids = (
      await this.calls.find({
        select: { id: true },
        where: { state: 'ended', createdAt: LessThan(before) },
        order: { createdAt: 'ASC' },
        take: limit,
      })
    ).map((call) => call.id);
    if (ids.length === 0) return 0;
    return this.calls.manager.transaction(async (manager) => {
      await manager.getRepository(CallEventEntity).delete({ callId: In(ids) });
      await manager.getRepository(CallParticipantEntity).delete({ callId: In(ids) });
      return (await manager.getRepository(CallEntity).delete({ id: In(ids) })).affected ?? 0;
    });
  }
}
