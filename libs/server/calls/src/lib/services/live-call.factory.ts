/**
 * Builds the {@link LiveCall} record of a new call, one-to-one or group: the one place a live call
 * is made. It also holds what both start paths check and read first: the provider, and the users'
 * profiles, read once so that nothing on the call path waits on the database afterwards.
 */
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ConnectorContext, ConnectorUser } from '@parley/connector-sdk';
import { SocketError } from '@parley/connector-sdk';
import type { RoomSummary, UserProfile, UserSummary } from '@parley/protocol';
import { ProviderRegistry } from '@parley/server-conferencing';
import { UserService } from '@parley/server-directory';
import { randomUUID } from 'node:crypto';
import { CallMachine } from '../call-machine';
import { CALLS_OPTIONS, type CallsModuleOptions, DEFAULT_MAX_PARTICIPANTS } from '../calls.options';
import type { LiveCall } from './live-calls';

@Injectable()
export class LiveCallFactory {
  readonly maxParticipants: number;

  constructor(
    private readonly users: UserService,
    private readonly registry: ProviderRegistry,
    @Inject(CALLS_OPTIONS) options: CallsModuleOptions,
  ) {
    this.maxParticipants = options.maxParticipants ?? DEFAULT_MAX_PARTICIPANTS;
  }

  /**
   * A ringing one-to-one call; `calleeSummary` is read fresh (its presence decides the ring);
   * `imAccounts`: the users' accounts for a provider that declares an IM field.
   */
  oneToOne(
    providerType: string,
    caller: UserProfile,
    callee: UserProfile,
    calleeSummary: UserSummary,
    now: Date,
    imAccounts?: Readonly<Record<string, string>>,
  ): LiveCall {
    const machine = new CallMachine({
      id: randomUUID(),
      providerType,
      target: { kind: 'user', userId: callee.id },
      callerId: caller.id,
      now,
    });
    const title = `${caller.displayName} – ${callee.displayName}`;
    const live = this.record(machine, caller.id, title, [caller, callee]);
    if (imAccounts) live.connectorCall.imAccounts = imAccounts;
    live.summaries.set(callee.id, calleeSummary);
    return live;
  }

  /** A room's group call, active at once with the starter joined and host; `profiles`: every member's. */
  group(
    providerType: string,
    starterId: string,
    room: RoomSummary,
    profiles: UserProfile[],
    title: string | null,
    now: Date,
  ): LiveCall {
    const machine = new CallMachine({
      id: randomUUID(),
      providerType,
      target: { kind: room.kind === 'space' ? 'space' : 'room', roomId: room.id },
      callerId: starterId,
      title,
      maxParticipants: this.maxParticipants,
      now,
    });
    const live = this.record(machine, room.id, title ?? room.title, profiles);
    live.room = { id: room.id, kind: room.kind, memberIds: new Set(room.memberIds) };
    return live;
  }

  /** The usable provider `type`, refused unless it places calls to `kind` targets. */
  requireProvider(type: string, kind: 'user' | 'room'): void {
    const provider = this.registry.usable().find((p) => p.type === type);
    if (!provider) throw new SocketError('not_found', `Provider ${type} is not available`);
    if (!provider.supportedTargets.includes(kind)) {
      const calls = kind === 'user' ? 'one-to-one' : 'group';
      throw new SocketError('bad_request', `Provider ${type} does not place ${calls} calls`);
    }
  }

  async profile(userId: string, code: 'not_found' | 'unauthorized'): Promise<UserProfile> {
    try {
      return await this.users.profile(userId);
    } catch (error) {
      if (error instanceof NotFoundException) {
        throw new SocketError(code, code === 'not_found' ? `User ${userId} not found` : 'Sign in again');
      }
      throw error;
    }
  }

  async summary(userId: string): Promise<UserSummary> {
    return this.users.toSummary(await this.users.findEntity(userId));
  }

  toSummary(profile: UserProfile): UserSummary {
    return {
      id: profile.id,
      username: profile.username,
      displayName: profile.displayName,
      avatarUrl: profile.avatarUrl,
      presence: profile.presence,
    };
  }

  private record(machine: CallMachine, ownerId: string, title: string, profiles: UserProfile[]): LiveCall {
    const { context } = this.registry.connector(machine.info.providerType);
    return {
      machine,
      connectorCall: {
        id: machine.id,
        target: machine.info.target,
        ownerId,
        title,
        createdAt: machine.info.createdAt,
      },
      users: new Map(profiles.map((p) => [p.id, this.connectorUser(p, context)])),
      summaries: new Map(profiles.map((p) => [p.id, this.toSummary(p)])),
    };
  }

  private connectorUser(profile: UserProfile, context: ConnectorContext): ConnectorUser {
    return {
      id: profile.id,
      username: profile.username,
      displayName: profile.displayName,
      email: profile.email,
      avatarUrl: /^https?:/.test(profile.avatarUrl)
        ? profile.avatarUrl
        : context.publicUrl + profile.avatarUrl,
      isAdmin: profile.isAdmin,
    };
  }
}
