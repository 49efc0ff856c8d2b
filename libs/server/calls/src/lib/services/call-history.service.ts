import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { CallInfo, CallParticipant } from '@parley/protocol';
import { randomUUID } from 'node:crypto';
import type { CallTransition } from '../call-machine';
import type { CallEntity, CallEventEntity } from '../entities';
import { LiveCalls } from './live-calls';
import { CallRepository } from '../repositories';

export const MAX_HISTORY_LIMIT = 200;
export const DEFAULT_HISTORY_LIMIT = 50;

/**
 * Call history, written behind: {@link record} queues a snapshot of the call and its transitions
 * and returns at once (the call path never waits on the database); the queue writes them in order.
 * A failed write is logged and the queue carries on.
 */
@Injectable()
export class CallHistory implements OnApplicationBootstrap {
  private readonly logger = new Logger(CallHistory.name);
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly calls: CallRepository,
    private readonly live: LiveCalls,
  ) {}

  /**
   * Calls left open by a previous run of the server (crash, restart) end as `failed`. In cluster
   * mode only those no live node hosts (`LiveCalls.hostedElsewhere`): the others are still going.
   */
  async onApplicationBootstrap(): Promise<void> {
    const failed = await this.failOpen('call failed: the server restarted', {
      keep: (id) => this.live.hostedElsewhere(id),
    });
    if (failed.length > 0)
      this.logger.warn(`${failed.length} call(s) left open by a previous run marked failed`);
  }

  /**
   * Ends as `failed` the open calls (or those of `ids`: a dead node's, in cluster mode) other
   * than those `keep` keeps; answers their final state.
   */
  async failOpen(
    reason: string,
    options: { ids?: string[]; keep?: (id: string) => Promise<boolean> } = {},
  ): Promise<CallInfo[]> {
    await this.flush();
    const only = options.ids ? new Set(options.ids) : null;
    const now = new Date().toISOString();
    const ended: CallEntity[] = [];
    for (const call of await this.calls.findOpen()) {
      if ((only && !only.has(call.id)) || (await options.keep?.(call.id))) continue;
      call.state = 'ended';
      call.outcome = 'failed';
      call.endReason = reason;
      call.endedAt = now;
      const failed = {
        id: randomUUID(),
        callId: call.id,
        type: 'failed',
        userId: null,
        detail: reason,
        at: now,
      };
      await this.calls.save(call, [], [failed]);
      ended.push(call);
    }
    return this.withParticipants(ended);
  }

  /** Queues the call's current state and its transitions (never throws, never waits). */
  record(call: CallInfo, transitions: CallTransition[]): void {
    const snapshot = structuredClone(call);
    this.pending++;
    this.queue = this.queue
      .then(() => this.write(snapshot, transitions))
      .catch((error: unknown) =>
        this.logger.error(`Call history write failed for ${snapshot.id}: ${String(error)}`),
      )
      .finally(() => this.pending--);
  }

  /** Resolves once everything queued so far is written (tests, and reads that must see it). */
  flush(): Promise<void> {
    return this.queue;
  }

  get backlog(): number {
    return this.pending;
  }

  /** One transaction per snapshot (the repository's). */
  private async write(call: CallInfo, transitions: CallTransition[]): Promise<void> {
    const targetId = call.target.kind === 'user' ? call.target.userId : call.target.roomId;
    await this.calls.save(
      {
        id: call.id,
        providerType: call.providerType,
        targetKind: call.target.kind,
        targetId,
        kind: call.kind,
        callerId: call.callerId,
        ownerId: call.ownerId,
        state: call.state,
        outcome: call.outcome,
        endReason: call.endReason,
        createdAt: call.createdAt,
        answeredAt: call.answeredAt,
        endedAt: call.endedAt,
        durationMs: Math.round(call.durationSeconds * 1000),
      },
      call.participants.map((p, position) => ({
        callId: call.id,
        userId: p.userId,
        position,
        state: p.state,
        joinedAt: p.joinedAt,
        leftAt: p.leftAt,
      })),
      transitions.map((t) => ({
        id: randomUUID(),
        callId: call.id,
        type: t.type,
        userId: t.userId,
        detail: t.detail,
        at: t.at,
      })),
    );
  }

  /**
   * The user's calls, newest first; with `withUserId`, only those both users took part in.
   */
  async history(userId: string, options: { withUserId?: string; limit?: number } = {}): Promise<CallInfo[]> {
    await this.flush();
    const limit = Math.min(Math.max(options.limit ?? DEFAULT_HISTORY_LIMIT, 1), MAX_HISTORY_LIMIT);
    const rows = await this.calls.findOfUser(userId, options.withUserId, limit);
    if (rows.length === 0) return [];
    return this.withParticipants(rows);
  }

  private async withParticipants(rows: CallEntity[]): Promise<CallInfo[]> {
    if (rows.length === 0) return [];
    const participants = await this.calls.participantsOf(rows.map((row) => row.id));
    const byCall = new Map<string, CallParticipant[]>();
    for (const p of participants) {
      const list = byCall.get(p.callId) ?? [];
      list.push({
        userId: p.userId,
        state: p.state,
        muted: false,
        cameraOff: false,
        joinedAt: p.joinedAt,
        leftAt: p.leftAt,
      });
      byCall.set(p.callId, list);
    }
    return rows.map((row) => ({
      id: row.id,
      providerType: row.providerType,
      target:
        row.targetKind === 'user'
          ? { kind: 'user', userId: row.targetId }
          : { kind: row.targetKind, roomId: row.targetId },
      kind: row.kind,
      callerId: row.callerId,
      ownerId: row.ownerId,
      state: row.state,
      participants: byCall.get(row.id) ?? [],
      createdAt: row.createdAt,
      answeredAt: row.answeredAt,
      endedAt: row.endedAt,
      outcome: row.outcome,
      endReason: row.endReason,
      durationSeconds: row.durationMs / 1000,
    }));
  }

  /** The recorded transitions of a call, oldest first. */
  eventsOf(callId: string): Promise<CallEventEntity[]> {
    return this.calls.eventsOf(callId);
  }
}
