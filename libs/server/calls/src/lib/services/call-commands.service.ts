import { Injectable, type OnModuleInit } from '@nestjs/common';
import { roomCallLink } from '@parley/protocol';
import { ProviderRegistry } from '@parley/server-conferencing';
import { type RoomCommandContext, RoomCommands, RoomService } from '@parley/server-directory';
import { SocketError } from '@parley/connector-sdk';
import { CallEvents } from './call-events.service';
import { CallModeration } from './call-moderation.service';
import { CallLifecycle } from './call-lifecycle.service';
import { GroupCalls } from './group-calls.service';
import { RecordingService } from './recording.service';

export const CALL_COMMAND_HELP =
  'Usage: /call start [title] | join | leave | link | stats | end | host @user | recording start|stop';

/**
 * `/call …` typed in a room (registered with the directory's {@link RoomCommands}): the answer is an
 * ephemeral reply for the sender only. The room send path checked membership already.
 */
@Injectable()
export class CallCommands implements OnModuleInit {
  constructor(
    private readonly commands: RoomCommands,
    private readonly calls: CallLifecycle,
    private readonly groups: GroupCalls,
    private readonly moderation: CallModeration,
    private readonly events: CallEvents,
    private readonly rooms: RoomService,
    private readonly registry: ProviderRegistry,
    private readonly recordings: RecordingService,
  ) {}

  onModuleInit(): void {
    this.commands.register('call', (context) => this.run(context));
  }

  async run(context: RoomCommandContext): Promise<string> {
    try {
      return await this.dispatch(context);
    } catch (error) {
      if (error instanceof SocketError) return `Cannot do that: ${error.message}`;
      throw error;
    }
  }

  private async dispatch(context: RoomCommandContext): Promise<string> {
    const { roomId, userId, args } = context;
    const actor = { userId };
    const [sub = '', ...rest] = args;
    const callId = this.groups.roomCallId(roomId);
    const noCall = 'There is no call in this room. Start one with /call start [title].';
    switch (sub.toLowerCase()) {
      case 'start': {
        const existing = callId !== null;
        const call = await this.groups.start(
          actor,
          roomId,
          this.groups.roomProvider(),
          rest.join(' ') || null,
        );
        this.events.push([userId], 'call.open', { call });
        return existing ? 'A call is already going on in this room: joining it.' : 'Call started.';
      }
      case 'join': {
        if (!callId) return noCall;
        this.events.push([userId], 'call.open', { call: this.calls.get(callId, userId) });
        return 'Joining the call…';
      }
      case 'leave': {
        if (!callId || !this.calls.isJoined(callId, userId)) return 'You are not in this room’s call.';
        this.groups.hangup(actor, callId);
        return 'You left the call.';
      }
      case 'link': {
        const link = this.publicUrl() + roomCallLink(roomId);
        await this.rooms.send(roomId, userId, `Call link for this room: ${link}`);
        return `Call link posted: ${link}`;
      }
      case 'stats': {
        if (!callId || !this.calls.isJoined(callId, userId)) return 'You are not in this room’s call.';
        return JSON.stringify(await this.moderation.mediaStats(actor, callId), null, 2);
      }
      case 'end': {
        if (!callId) return noCall;
        this.moderation.end(actor, callId);
        return 'Call ended for everyone.';
      }
      case 'host': {
        if (!callId) return noCall;
        const username = (rest[0] ?? '').replace(/^@/, '');
        if (!username) return 'Usage: /call host @user';
        const target = this.calls.memberByUsername(callId, username);
        if (!target) return `No member @${username} in this room.`;
        this.moderation.hostTransfer(actor, callId, target);
        return `@${username} is now the host.`;
      }
      case 'recording': {
        const action = (rest[0] ?? '').toLowerCase();
        if (action !== 'start' && action !== 'stop') return 'Usage: /call recording start|stop';
        if (!callId) return noCall;
        if (action === 'start') {
          await this.recordings.start(actor, callId);
          return 'Recording started.';
        }
        await this.recordings.stop(actor, callId);
        return 'Recording stopped: it is posted in the call thread.';
      }
      default:
        return CALL_COMMAND_HELP;
    }
  }

  private publicUrl(): string {
    const first = this.registry.usable()[0];
    try {
      return first ? this.registry.connector(first.type).context.publicUrl : '';
    } catch {
      return '';
    }
  }
}
