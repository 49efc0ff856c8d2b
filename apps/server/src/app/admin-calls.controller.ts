import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Optional,
  Param,
  type PipeTransform,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  AdminCallParticipant,
  AdminLiveCall,
  AdminLiveCalls,
  AdminParticipantStats,
  ParticipantMediaSummary,
} from '@parley/protocol';
import { AdminOnly } from '@parley/server-conferencing';
import { CallMediaControls, LiveCalls, type LiveCall } from '@parley/server-calls';
import { hostname } from 'node:os';
import { REDIS_CLUSTER } from './cluster/cluster-token';
import type { RedisCluster } from './cluster/redis-cluster';

const NO_MEDIA: ParticipantMediaSummary = { sendKbps: null, recvKbps: null, lossPct: null, connection: null };

/** A call or user id in the path: letters, digits, `-` and `_` (uuids, `guest-<uuid>`), at most 64. */
class IdParam implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}
  transform(value: string): string {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(value)) throw new BadRequestException(`Invalid ${this.name}`);
    return value;
  }
}

/**
 * The admins' Calls tab (`docs/admin.md` "Calls"): this node's live calls from memory
 * ({@link LiveCalls}, never the database) with each participant's media figures from the
 * provider's media layer ({@link CallMediaControls}), and one participant's `/call stats` detail.
 * Admins only (403 otherwise, 401 without a session).
 */
@ApiTags('admin')
@AdminOnly()
@Controller('api/admin/calls')
export class AdminCallsController {
  private readonly node: string;

  constructor(
    private readonly calls: LiveCalls,
    private readonly media: CallMediaControls,
    @Optional() @Inject(REDIS_CLUSTER) cluster?: RedisCluster,
  ) {
    this.node = cluster?.nodeId ?? hostname();
  }

  @Get()
  @ApiOperation({ summary: "This node's live calls with participants' bitrate, loss, relay or direct" })
  async list(): Promise<AdminLiveCalls> {
    const calls = await Promise.all([...this.calls.live()].map((live) => this.describe(live)));
    calls.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return { node: this.node, calls };
  }

  @Get(':callId/participants/:userId/stats')
  @ApiOperation({
    summary: "One participant's media with the provider's full stats (the `/call stats` detail)",
  })
  async stats(
    @Param('callId', new IdParam('call id')) callId: string,
    @Param('userId', new IdParam('user id')) userId: string,
  ): Promise<AdminParticipantStats> {
    const live = this.calls.get(callId);
    if (!live || live.machine.ended) throw new NotFoundException(`No live call ${callId}`);
    if (!live.machine.joinedIds.includes(userId)) {
      throw new NotFoundException(`User ${userId} is not in call ${callId}`);
    }
    const control = this.media.get(live.machine.info.providerType);
    if (!control) throw new NotFoundException(`Provider ${live.machine.info.providerType} has no stats`);
    try {
      return { callId, userId, stats: await control.stats(callId, userId) };
    } catch {
      // The media left meanwhile (a rebuild, the user's tab closing): nothing to show, no trace.
      throw new NotFoundException(`No media of ${userId} in call ${callId}`);
    }
  }

  private async describe(live: LiveCall): Promise<AdminLiveCall> {
    const info = live.machine.snapshot();
    const control = this.media.get(info.providerType);
    const participants = await Promise.all(
      info.participants.map(async (p): Promise<AdminCallParticipant> => {
        const joined = p.state === 'joined';
        const media =
          joined && control?.summary
            ? await control.summary(info.id, p.userId).catch(() => NO_MEDIA)
            : NO_MEDIA;
        return {
          userId: p.userId,
          displayName: live.summaries.get(p.userId)?.displayName ?? p.guest?.displayName ?? p.userId,
          state: p.state,
          ...media,
        };
      }),
    );
    return {
      id: info.id,
      kind: info.kind,
      state: info.state === 'ringing' ? 'ringing' : 'active',
      providerType: info.providerType,
      room: live.room ? { id: live.room.id, title: live.connectorCall.title } : null,
      title: info.title ?? null,
      createdAt: info.createdAt,
      participants,
    };
  }
}
