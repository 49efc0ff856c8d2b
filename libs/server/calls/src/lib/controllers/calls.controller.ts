import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Get,
  Inject,
  NotFoundException,
  Optional,
  Param,
  Put,
  Query,
} from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  CallHistoryEntry,
  CallHistoryResponse,
  RoomCallInfo,
  UserPreferences,
  UserSummary,
} from '@parley/protocol';
import { SOCKET_RELAY, SocketError, type SocketRelay } from '@parley/connector-sdk';
import { GroupCalls } from '../services/group-calls.service';
import { CurrentUser, RoomResolver, type UserEntity, UserService } from '@parley/server-directory';
import { CallHistoryQueryDto, UserPreferencesUpdateDto } from '../dto/calls.dto';
import { CallHistory } from '../services/call-history.service';
import { PreferencesService } from '../services/preferences.service';

@ApiTags('calls')
@ApiCookieAuth()
@Controller('api')
export class CallsController {
  constructor(
    private readonly history: CallHistory,
    private readonly preferences: PreferencesService,
    private readonly users: UserService,
    private readonly groups: GroupCalls,
    private readonly roomResolver: RoomResolver,
    /** Cluster mode: the room's call may live on another node, which answers for it. */
    @Optional() @Inject(SOCKET_RELAY) private readonly relay?: SocketRelay,
  ) {}

  @Get('rooms/:id/call')
  @ApiOperation({ summary: "The room's live call (or null) and its permanent call link (members only)" })
  @ApiOkResponse({ description: 'RoomCallInfo' })
  async roomCall(@CurrentUser() me: UserEntity, @Param('id') address: string): Promise<RoomCallInfo> {
    // The room's id or slug (`/rooms/town-square/call`).
    const id = await this.roomResolver.idOf(address);
    try {
      const relayed = await this.relay?.relay(
        'call.room.get',
        { roomId: id },
        { userId: me.id, socketId: '' },
      );
      if (relayed && !relayed.ok) throw new SocketError(relayed.error.code, relayed.error.message);
      if (relayed?.ok) return relayed.data as RoomCallInfo;
      return await this.groups.roomCall(me.id, id);
    } catch (error) {
      if (error instanceof SocketError) {
        if (error.code === 'forbidden') throw new ForbiddenException(error.message);
        if (error.code === 'not_found') throw new NotFoundException(error.message);
        throw new BadRequestException(error.message);
      }
      throw error;
    }
  }

  @Get('calls/history')
  @ApiOperation({
    summary:
      'My calls, newest first (CallHistoryResponse). With userId: only the calls between me and that user (a profile page).',
  })
  @ApiOkResponse({ description: 'CallHistoryResponse' })
  async callHistory(
    @CurrentUser() me: UserEntity,
    @Query() query: CallHistoryQueryDto,
  ): Promise<CallHistoryResponse> {
    if (query.userId) await this.users.findEntity(query.userId);
    const calls = await this.history.history(me.id, { withUserId: query.userId, limit: query.limit });
    const peers = new Map<string, UserSummary | null>();
    for (const call of calls) {
      for (const p of call.participants) {
        if (p.userId === me.id || peers.has(p.userId)) continue;
        try {
          peers.set(p.userId, this.users.toSummary(await this.users.findEntity(p.userId)));
        } catch (error) {
          if (!(error instanceof NotFoundException)) throw error;
          peers.set(p.userId, null);
        }
      }
    }
    const entries: CallHistoryEntry[] = calls.map((call) => {
      const peerId =
        call.kind === 'group' ? undefined : call.participants.find((p) => p.userId !== me.id)?.userId;
      return {
        call,
        peer: peerId ? (peers.get(peerId) ?? null) : null,
        direction: call.callerId === me.id ? 'outgoing' : 'incoming',
      };
    });
    return { entries };
  }

  @Get('me/preferences')
  @ApiOperation({ summary: 'My preferences: last provider per context, microphone/camera for the next call' })
  @ApiOkResponse({ description: 'UserPreferences' })
  getPreferences(@CurrentUser() me: UserEntity): Promise<UserPreferences> {
    return this.preferences.get(me.id);
  }

  @Put('me/preferences')
  @ApiOperation({ summary: 'Patch my preferences (lastProvider entries merge; null forgets one)' })
  @ApiOkResponse({ description: 'UserPreferences' })
  putPreferences(
    @CurrentUser() me: UserEntity,
    @Body() body: UserPreferencesUpdateDto,
  ): Promise<UserPreferences> {
    return this.preferences.update(me.id, {
      lastProvider: body.lastProvider ? { ...body.lastProvider } : undefined,
      micEnabled: body.micEnabled,
      cameraEnabled: body.cameraEnabled,
    });
  }
}
