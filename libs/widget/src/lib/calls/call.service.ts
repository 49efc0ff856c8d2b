import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import {
  PROVIDER_CAPABILITIES,
  type CallInfo,
  type CallTarget,
  type ProviderCapability,
} from '@parley/protocol';
import { PARLEY_WIDGET_CONFIG } from '../config/widget-config';
import type { GroupLayout } from '../host/connector-types';
import { ParleyWidgetHost } from '../host/widget-host';
import { PreferencesStore } from '../preferences/preferences.store';
import { SoundPlayer } from '../sounds/sound-player';
import { CallRings } from './call-rings';
import { CallUpdates } from './call-updates';
import { CallSession } from './call-session';
import type { CallSessionContext, CallSessionInit } from './call-session-types';
import { GroupSession } from './group-session';

export {
  CALL_REACTIONS,
  endMessageOf,
  type CallPhase,
  type CallSessionState,
  type RecordingNotice,
  type ShownReaction,
} from './call-session-types';

/**
 * The calls of this tab: where calls start (placing, answering, joining a room's call), the
 * rings, and the one {@link CallSession} (or {@link GroupSession}) open now, which owns the call
 * itself. The server's pushes are handed to that session; components render the signals below,
 * which read the open session (so they keep working from one call to the next).
 */
@Injectable({ providedIn: 'root' })
export class CallService {
  private readonly host = inject(ParleyWidgetHost);
  private readonly prefs = inject(PreferencesStore);
  private readonly sounds = inject(SoundPlayer);
  private readonly config = inject(PARLEY_WIDGET_CONFIG);
  private readonly ringing = inject(CallRings);

  private readonly currentSignal = signal<CallSession | null>(null);
  private readonly noticeSignal = signal<string | null>(null);
  private readonly layoutSignal = signal<GroupLayout>('grid');
  private container: HTMLElement | null = null;
  private containerWaiters: ((el: HTMLElement) => void)[] = [];

  /** The open session (a handle on the call in the window), or null. */
  readonly current = this.currentSignal.asReadonly();
  /** The open session when it is a group call. */
  readonly group = computed(() => {
    const session = this.currentSignal();
    return session instanceof GroupSession ? session : null;
  });
  /** The call of this tab (outgoing or answered) as the window shows it, or null. */
  readonly session = computed(() => this.currentSignal()?.state() ?? null);
  /** Calls ringing for this user (one toast each). */
  readonly rings = this.ringing.rings;
  readonly missed = this.ringing.missed;
  /** Group calls started in this user's direct/group messages, offered with Join. */
  readonly groupRings = this.ringing.groupRings;
  /** A non-fatal problem during the call (e.g. the camera was unplugged). */
  readonly notice = this.noticeSignal.asReadonly();
  readonly layout = this.layoutSignal.asReadonly();
  readonly muted = computed(() => this.currentSignal()?.muted() ?? false);
  readonly cameraOff = computed(() => this.currentSignal()?.cameraOff() ?? false);
  readonly screenSharing = computed(() => this.currentSignal()?.screenSharing() ?? false);
  /** The provider and the admins allow screen sharing in this call. */
  readonly screenShareAllowed = computed(() => this.currentSignal()?.screenShareAllowed() ?? false);
  /** The socket dropped during the call and the media is being set up again. */
  readonly reconnecting = computed(() => this.currentSignal()?.reconnecting() ?? false);
  /** Group calls: the check before joining, while it is open. */
  readonly prejoin = computed(() => this.group()?.prejoin() ?? null);
  /** Group calls: reactions on screen now, the dominant speaker and who speaks now. */
  readonly reactions = computed(() => this.group()?.reactions() ?? []);
  readonly activeSpeaker = computed(() => this.group()?.activeSpeaker() ?? null);
  readonly speaking = computed(() => this.group()?.speaking() ?? new Set<string>());
  /** Group calls: the own uplink's quality as the provider measures it (null: not known). */
  readonly uplinkQuality = computed(() => this.group()?.uplinkQuality() ?? null);
  /** Group calls: the recording in progress, its last notice, and a start/stop under way. */
  readonly recording = computed(() => this.group()?.recording() ?? null);
  readonly recordingNotice = computed(() => this.group()?.recordingNotice() ?? null);
  readonly recordingPending = computed(() => this.group()?.recordingPending() ?? false);
  /** Group calls: whether the signed-in user moderates the call (the server's `hostId`). */
  readonly isModerator = computed(() => this.group()?.isModerator() ?? false);
  /**
   * Group calls: whether the Record button is offered: to the moderator, when the call's provider
   * declares the `recording` capability (others answer `unavailable`, so no button at all).
   */
  readonly canRecord = computed(() => {
    const type = this.session()?.call?.providerType;
    const provider = this.host.providers().find((p) => p.type === type);
    return this.isModerator() && !!provider?.capabilities.includes('recording');
  });
  /** The descriptor of the open call's provider, or null when it is not among the usable providers. */
  readonly provider = computed(() => {
    const session = this.session();
    const type = session?.call?.providerType || session?.providerType;
    return this.host.providers().find((p) => p.type === type) ?? null;
  });
  /**
   * What the call window offers (mic, camera, hand, screen, reactions, chat, "Mute all"): the
   * provider's declared capabilities; every one while the provider is not known to the page.
   */
  readonly capabilities = computed(
    (): ReadonlySet<ProviderCapability> => new Set(this.provider()?.capabilities ?? PROVIDER_CAPABILITIES),
  );
  /** The open call's provider is a link-out one: its meeting page is the call (no layout switch). */
  readonly linkOut = computed(() => this.provider()?.linkOut ?? null);
  /** Group calls: the signed-in user is a guest who came by a guest link (docs/guests.md). */
  readonly isGuest = computed(() => {
    const me = this.host.me()?.id;
    return !!this.session()?.call?.participants.find((p) => p.userId === me)?.guest;
  });
  /** Group calls: whether the own hand is raised. */
  readonly handRaised = computed(() => this.group()?.handRaised() ?? false);
  /** Whether a call is in progress (a new one cannot start). */
  readonly busy = computed(() => this.currentSignal()?.live ?? false);
  /** The other participant's media state as the server reports it. */
  readonly remote = computed(() => {
    const me = this.host.me()?.id;
    const other = this.session()?.call?.participants.find((p) => p.userId !== me);
    return {
      muted: other?.muted ?? false,
      cameraOff: other?.cameraOff ?? false,
      state: other?.state ?? null,
    };
  });

  constructor() {
    const subs = [
      // `call.updated`, and group calls' `call.delta`s applied (CallUpdates).
      inject(CallUpdates).updated$.subscribe((call) => this.currentSignal()?.onUpdated(call)),
      this.host.events('call.room.updated').subscribe((event) => this.currentSignal()?.onUpdated(event.call)),
      this.host.events('call.ended').subscribe((e) => this.currentSignal()?.onEnded(e.call, e.reason)),
      this.host.events('call.open').subscribe((event) => void this.openGroup(event.call)),
      this.host.events('call.reaction').subscribe((event) => this.group()?.onReaction(event)),
      this.host.events('call.moderated').subscribe((event) => void this.group()?.onModerated(event)),
      this.host.events('call.recording.notice').subscribe((event) => this.group()?.onRecordingNotice(event)),
      this.host.connected$.subscribe(() => void this.currentSignal()?.onConnected()),
      this.host.disconnected$.subscribe(() => this.currentSignal()?.onDisconnected()),
    ];
    inject(DestroyRef).onDestroy(() => {
      subs.forEach((sub) => sub.unsubscribe());
      this.sounds.stopAll();
      this.currentSignal()?.dispose();
    });
  }

  // ----- where calls start --------------------------------------------------------------------

  /** Places a call with `providerType` (the call window opens at once, with the own camera). */
  async start(target: CallTarget, providerType: string): Promise<void> {
    if (this.refuseWhileBusy()) return;
    const peerId = target.kind === 'user' ? target.userId : null;
    const peerName = peerId
      ? (this.host.users().get(peerId)?.displayName ?? 'this person')
      : (this.host.roomTitle(target.kind === 'user' ? '' : target.roomId) ?? 'Group call');
    const init = {
      direction: 'outgoing',
      providerType,
      target,
      peerId,
      peerName,
      phase: 'starting',
    } as const;
    await this.open({ ...init, group: peerId === null }).place();
  }

  /**
   * Joins the group call of a room (the banner's Join, the permanent link): the room's live call,
   * or a new one. With a provider whose client half gets the media, the pre-join check comes
   * first (unless `check: false`, or `ParleyWidgetConfig.prejoin` is off).
   */
  async joinRoom(roomId: string, providerType?: string, options: { check?: boolean } = {}): Promise<void> {
    const call = this.session()?.call;
    if (this.busy() && call?.target.kind !== 'user' && call?.ownerId === roomId) return;
    if (this.refuseWhileBusy()) return;
    const session = this.openGroupSession({
      direction: 'outgoing',
      providerType: providerType ?? '',
      target: { kind: 'room', roomId },
      peerId: null,
      peerName: this.host.roomTitle(roomId) ?? 'Group call',
      phase: 'connecting',
      group: true,
    });
    await session.joinRoom(roomId, providerType, options);
  }

  /** "Join now" in the pre-join check. */
  joinFromPrejoin(): Promise<void> {
    return this.group()?.joinFromPrejoin() ?? Promise.resolve();
  }

  /** "Cancel" in the pre-join check. */
  cancelPrejoin(): void {
    this.group()?.cancelPrejoin();
  }

  /** Join from a group ring toast. */
  async joinGroupRing(callId: string): Promise<void> {
    const ring = this.ringing.findGroupRing(callId);
    if (!ring) return;
    this.ringing.dismissGroupRing(callId);
    await this.joinRoom(ring.roomId, ring.call.providerType);
  }

  dismissGroupRing(callId: string): void {
    this.ringing.dismissGroupRing(callId);
  }

  /** Answers a ring (hanging up the call in progress, if any). */
  async answer(callId: string): Promise<void> {
    const ring = this.ringing.find(callId);
    if (!ring) return;
    this.ringing.drop(callId);
    if (this.busy()) await this.hangup();
    const { call, caller } = ring;
    const session = this.open({
      direction: 'incoming',
      providerType: call.providerType,
      target: { kind: 'user', userId: caller.id },
      peerId: caller.id,
      peerName: caller.displayName,
      phase: 'connecting',
      group: false,
    });
    await session.answer(ring);
  }

  async decline(callId: string): Promise<void> {
    this.ringing.drop(callId);
    try {
      await this.host.request('call.decline', { callId });
    } catch {
      // Already over (cancelled, answered elsewhere): nothing to do.
    }
  }

  dismissMissed(callId: string): void {
    this.ringing.dismissMissed(callId);
  }

  // ----- the open session (the call window's buttons) -----------------------------------------

  hangup(reason?: string, options: { providerUnavailable?: boolean } = {}): Promise<void> {
    return this.currentSignal()?.hangup(reason, options) ?? Promise.resolve();
  }

  /** Closes the window now (after the end message), or drops the notice. */
  dismiss(): void {
    const session = this.currentSignal();
    if (session && !session.live) this.close(session);
    this.noticeSignal.set(null);
  }

  /** After a camera/microphone block: go on with the microphone only, or receiving only. */
  continueWith(send: 'audio' | 'none'): Promise<void> {
    return this.currentSignal()?.continueWith(send) ?? Promise.resolve();
  }

  /** Closes a camera/microphone block (a callee's ring ends `failed`). */
  giveUp(): void {
    this.currentSignal()?.giveUp();
  }

  setMuted(muted: boolean): Promise<void> {
    return this.currentSignal()?.setMuted(muted) ?? Promise.resolve();
  }

  setCameraOff(off: boolean): Promise<void> {
    return this.currentSignal()?.setCameraOff(off) ?? Promise.resolve();
  }

  setScreenSharing(on: boolean): Promise<void> {
    return this.currentSignal()?.setScreenSharing(on) ?? Promise.resolve();
  }

  setLayout(layout: GroupLayout): void {
    this.layoutSignal.set(layout);
    this.group()?.setLayout(layout);
  }

  setHand(raised: boolean): Promise<void> {
    return this.group()?.setHand(raised) ?? Promise.resolve();
  }

  react(emoji: string): Promise<void> {
    return this.group()?.react(emoji) ?? Promise.resolve();
  }

  /** Moderator: mute one participant, or everyone else without `userId`. */
  moderatorMute(userId?: string): Promise<void> {
    return this.group()?.mute(userId) ?? Promise.resolve();
  }

  moderatorStopScreenShare(userId: string): Promise<void> {
    return this.group()?.moderateParticipant('call.host.stopScreenShare', userId) ?? Promise.resolve();
  }

  moderatorLowerHand(userId: string): Promise<void> {
    return this.group()?.moderateParticipant('call.host.lowerHand', userId) ?? Promise.resolve();
  }

  moderatorRemove(userId: string): Promise<void> {
    return this.group()?.moderateParticipant('call.host.remove', userId) ?? Promise.resolve();
  }

  /** Moderator: hand moderation over to `userId`. */
  makeModerator(userId: string): Promise<void> {
    return this.group()?.moderateParticipant('call.host.transfer', userId) ?? Promise.resolve();
  }

  /** Moderator (or admin): ends the call for everyone. */
  endForAll(): Promise<void> {
    return this.group()?.endForAll() ?? Promise.resolve();
  }

  /** Moderator: start or stop recording the group call (a refusal is shown as a recording notice). */
  toggleRecording(): Promise<void> {
    return this.setRecording(this.recording() === null);
  }

  setRecording(on: boolean): Promise<void> {
    return this.group()?.setRecording(on) ?? Promise.resolve();
  }

  retryRecording(): Promise<void> {
    return this.group()?.retryRecording() ?? Promise.resolve();
  }

  dismissRecordingNotice(): void {
    this.group()?.dismissRecordingNotice();
  }

  /** The call window's media container: the client half renders the call into it. */
  attachContainer(element: HTMLElement | null): void {
    this.container = element;
    if (element) {
      const waiters = this.containerWaiters;
      this.containerWaiters = [];
      waiters.forEach((resolve) => resolve(element));
    }
  }

  // ----- internals ----------------------------------------------------------------------------

  /** `call.open` (after `/call start` or `/call join` in a room): open the window and join. */
  private async openGroup(call: CallInfo): Promise<void> {
    if (this.busy()) {
      if (this.session()?.call?.id !== call.id) this.noticeSignal.set('You are already in a call.');
      return;
    }
    if (call.target.kind !== 'user') await this.joinRoom(call.target.roomId, call.providerType);
  }

  private refuseWhileBusy(): boolean {
    if (this.busy()) this.noticeSignal.set('You are already in a call.');
    return this.busy();
  }

  private open(init: CallSessionInit): CallSession {
    return this.replaceWith((ctx) => (init.group ? new GroupSession(ctx, init) : new CallSession(ctx, init)));
  }

  private openGroupSession(init: CallSessionInit): GroupSession {
    return this.replaceWith((ctx) => new GroupSession(ctx, init));
  }

  /** Opens a new session in place of the previous one (which has ended: its timers stop). */
  private replaceWith<T extends CallSession>(create: (ctx: CallSessionContext) => T): T {
    this.currentSignal()?.dispose();
    this.noticeSignal.set(null);
    const session: T = create({
      host: this.host,
      prefs: this.prefs,
      sounds: this.sounds,
      endMessageMs: this.config.endMessageMs,
      prejoin: this.config.prejoin,
      container: () => this.waitForContainer(),
      notify: (message) => this.noticeSignal.set(message),
      layout: this.layoutSignal,
      closed: () => this.close(session),
    });
    this.currentSignal.set(session);
    return session;
  }

  /** The window closes: unless a newer session took its place meanwhile. */
  private close(session: CallSession): void {
    session.dispose();
    if (this.currentSignal() === session) this.currentSignal.set(null);
  }

  private waitForContainer(): Promise<HTMLElement> {
    if (this.container) return Promise.resolve(this.container);
    return new Promise((resolve) => this.containerWaiters.push(resolve));
  }
}
