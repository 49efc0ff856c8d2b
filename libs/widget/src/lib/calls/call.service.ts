import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import type {
  CallInfo,
  CallJoinResponse,
  CallModeratedEvent,
  CallReactionEvent,
  CallRecordingNoticeEvent,
  CallTarget,
  ProviderDescriptor,
} from '@parley/protocol';
import { PARLEY_WIDGET_CONFIG } from '../config/widget-config';
import {
  canPrepareMedia,
  type ClientConnector,
  type ClientEvent,
  type GroupLayout,
  type SignalingChannel,
  type WidgetCallView,
  type WidgetClientCall,
} from '../host/connector-types';
import { ParleyWidgetHost } from '../host/widget-host';
import { PreferencesStore } from '../preferences/preferences.store';
import { SoundPlayer } from '../sounds/sound-player';
import { CallRings } from './call-rings';
import { mediaErrorMessage } from './media-errors';

/**
 * Where the local user's call is:
 * `starting` (asking the server / the camera), `ringing` (outgoing, the other side rings),
 * `connecting` (answered, media being set up), `active`, `ended` (end message shown briefly).
 */
export type CallPhase = 'starting' | 'ringing' | 'connecting' | 'active' | 'ended';

export interface CallSession {
  /** Increases with every session of this tab (guards late async answers). */
  seq: number;
  direction: 'outgoing' | 'incoming';
  providerType: string;
  target: CallTarget;
  /** The other person (one-to-one). */
  peerId: string | null;
  peerName: string;
  phase: CallPhase;
  call: CallInfo | null;
  /** Shown once ended: `declined`, `no answer`, `busy`, `<name> left`, an error… */
  endMessage: string | null;
  /** Local camera/microphone acquired before the call is joined (outgoing preview). */
  preview: MediaStream | null;
  /** Epoch ms when the media started flowing (for the timer). */
  activeSince: number | null;
  /** A group call of a room (target `room`/`space`): tiles, hands, reactions, host controls. */
  group: boolean;
}

/** An emoji reaction shown over the call for a few seconds. */
export interface ShownReaction {
  key: number;
  userId: string;
  name: string;
  emoji: string;
}

/** The emoji offered in the reactions menu. */
export const CALL_REACTIONS: readonly string[] = ['👍', '👏', '😂', '❤️', '🎉', '😮'];

/** How long a reaction stays on screen. */
const REACTION_MS = 5000;

/**
 * A recording notice shown in the call window: the server's `call.recording.notice` kinds, or
 * `error` when the host's start/stop request was refused (e.g. `unavailable`).
 */
export interface RecordingNotice {
  key: number;
  /** `pending`: the host's start/stop is taking long (a loaded server); `error`: it was refused or timed out. */
  kind: CallRecordingNoticeEvent['kind'] | 'error' | 'pending';
  message: string;
  /** On `error`: what the host asked for, offered again with "Try again". */
  retry?: 'start' | 'stop';
}

/** A start/stop still unanswered after this shows a `pending` notice ("Starting the recording…"). */
const RECORDING_PENDING_NOTICE_MS = 1500;

/** started/stopped/limit notices fade after this; reminder, failed and error stay until dismissed. */
const RECORDING_NOTICE_MS = 10_000;

/**
 * The calls of this tab: placing, ringing, answering, declining, hanging up, and the media state,
 * over the embedding page's socket ({@link ParleyWidgetHost}). Components only render its signals.
 */
@Injectable({ providedIn: 'root' })
export class CallService {
  private readonly host = inject(ParleyWidgetHost);
  private readonly prefs = inject(PreferencesStore);
  private readonly sounds = inject(SoundPlayer);
  private readonly config = inject(PARLEY_WIDGET_CONFIG);
  private readonly ringing = inject(CallRings);

  private readonly sessionSignal = signal<CallSession | null>(null);
  private readonly mutedSignal = signal(false);
  private readonly cameraOffSignal = signal(false);
  private readonly noticeSignal = signal<string | null>(null);
  private readonly reactionsSignal = signal<readonly ShownReaction[]>([]);
  private readonly speakerSignal = signal<string | null>(null);
  private readonly speakingSignal = signal<ReadonlySet<string>>(new Set());
  private readonly screenSharingSignal = signal(false);
  private readonly screenAllowedSignal = signal(false);
  private readonly layoutSignal = signal<GroupLayout>('grid');
  private readonly reconnectingSignal = signal(false);
  private readonly recordingNoticeSignal = signal<RecordingNotice | null>(null);
  private readonly recordingPendingSignal = signal(false);
  private recordingNoticeKey = 0;
  private reactionKey = 0;
  private seq = 0;
  private view: WidgetCallView | null = null;
  private connector: ClientConnector | null = null;
  private container: HTMLElement | null = null;
  private containerWaiters: ((el: HTMLElement) => void)[] = [];
  private clearTimer: ReturnType<typeof setTimeout> | null = null;

  /** The call of this tab (outgoing or answered), or null. */
  readonly session = this.sessionSignal.asReadonly();
  /** Calls ringing for this user (one toast each). */
  readonly rings = this.ringing.rings;
  readonly missed = this.ringing.missed;
  readonly muted = this.mutedSignal.asReadonly();
  readonly cameraOff = this.cameraOffSignal.asReadonly();
  /** A non-fatal problem during the call (e.g. the camera was unplugged). */
  readonly notice = this.noticeSignal.asReadonly();
  /** Group calls started in this user's direct/group messages, offered with Join. */
  readonly groupRings = this.ringing.groupRings;
  /** Group calls: reactions on screen now. */
  readonly reactions = this.reactionsSignal.asReadonly();
  /** Group calls: the dominant speaker, and who speaks now. */
  readonly activeSpeaker = this.speakerSignal.asReadonly();
  readonly speaking = this.speakingSignal.asReadonly();
  readonly screenSharing = this.screenSharingSignal.asReadonly();
  /** The provider and the admins allow screen sharing in this call. */
  readonly screenShareAllowed = this.screenAllowedSignal.asReadonly();
  readonly layout = this.layoutSignal.asReadonly();
  /** The socket dropped during the call and the media is being set up again. */
  readonly reconnecting = this.reconnectingSignal.asReadonly();
  /** Group calls: the recording in progress (`CallInfo.recording`), or null. */
  readonly recording = computed(() => this.sessionSignal()?.call?.recording ?? null);
  /** The last recording notice of the current call (started, stopped, reminder, limit, failed, error). */
  readonly recordingNotice = this.recordingNoticeSignal.asReadonly();
  /** A start/stop request of the host is under way. */
  readonly recordingPending = this.recordingPendingSignal.asReadonly();
  /** Group calls: whether the signed-in user is the host. */
  readonly isHost = computed(() => {
    const call = this.sessionSignal()?.call;
    return !!call?.hostId && call.hostId === this.host.me()?.id;
  });
  /**
   * Group calls: whether the Record button is offered: to the host, when the call's provider
   * declares the `recording` capability (others answer `unavailable`, so no button at all).
   */
  readonly canRecord = computed(() => {
    const call = this.sessionSignal()?.call;
    const provider = this.host.providers().find((p) => p.type === call?.providerType);
    return this.isHost() && !!provider?.capabilities.includes('recording');
  });
  /** Group calls: whether the own hand is raised. */
  readonly handRaised = computed(() => {
    const me = this.host.me()?.id;
    const call = this.sessionSignal()?.call;
    return !!call?.participants.find((p) => p.userId === me)?.handRaisedAt;
  });
  /** Whether a call is in progress (a new one cannot start). */
  readonly busy = computed(() => {
    const session = this.sessionSignal();
    return session !== null && session.phase !== 'ended';
  });
  /** The other participant's media state as the server reports it. */
  readonly remote = computed(() => {
    const session = this.sessionSignal();
    const me = this.host.me()?.id;
    const other = session?.call?.participants.find((p) => p.userId !== me);
    return {
      muted: other?.muted ?? false,
      cameraOff: other?.cameraOff ?? false,
      state: other?.state ?? null,
    };
  });

  constructor() {
    const subs = [
      this.host.events('call.updated').subscribe((call) => this.onUpdated(call)),
      this.host.events('call.ended').subscribe((event) => this.onEnded(event.call, event.reason)),
      this.host.events('call.open').subscribe((event) => void this.openGroup(event.call)),
      this.host.events('call.reaction').subscribe((event) => this.onReaction(event)),
      this.host.events('call.moderated').subscribe((event) => void this.onModerated(event)),
      this.host.events('call.recording.notice').subscribe((event) => {
        if (event.callId === this.sessionSignal()?.call?.id)
          this.showRecordingNotice(event.kind, event.message);
      }),
      this.host.events('webrtc.activeSpeaker').subscribe((event) => {
        if (event.callId !== this.sessionSignal()?.call?.id) return;
        this.speakerSignal.set(event.userId);
        this.view?.setActiveSpeaker?.(event.userId);
      }),
      this.host.events('webrtc.speaking').subscribe((event) => {
        if (event.callId !== this.sessionSignal()?.call?.id) return;
        this.speakingSignal.set(new Set(event.speakers.map((s) => s.userId)));
      }),
      this.host.events('call.room.updated').subscribe((event) => {
        if (event.call.id === this.sessionSignal()?.call?.id) this.onUpdated(event.call);
      }),
      this.host.connected$.subscribe(() => void this.resume()),
      this.host.disconnected$.subscribe(() => {
        if (this.sessionSignal()?.phase === 'active') this.reconnectingSignal.set(true);
      }),
    ];
    inject(DestroyRef).onDestroy(() => {
      subs.forEach((sub) => sub.unsubscribe());
      this.sounds.stopAll();
      void this.closeView();
    });
  }

  // ----- outgoing ---------------------------------------------------------------------------

  /** Places a call with `providerType` (the call window opens at once, with the own camera). */
  async start(target: CallTarget, providerType: string): Promise<void> {
    if (this.busy()) {
      this.noticeSignal.set('You are already in a call.');
      return;
    }
    const peerId = target.kind === 'user' ? target.userId : null;
    const peerName = peerId
      ? (this.host.users().get(peerId)?.displayName ?? 'this person')
      : (this.host.roomTitle(target.kind === 'user' ? '' : target.roomId) ?? 'Group call');
    const session = this.open({
      direction: 'outgoing',
      providerType,
      target,
      peerId,
      peerName,
      phase: 'starting',
      group: peerId === null,
    });
    const prefs = await this.prefs.load();
    this.mutedSignal.set(!prefs.micEnabled);
    this.cameraOffSignal.set(!prefs.cameraEnabled);

    const connector = await this.host.connector(providerType);
    if (!this.isCurrent(session)) return;
    if (!connector) {
      this.finish(session, `${this.providerTitle(providerType)} is not available right now.`, false);
      return;
    }
    this.connector = connector;
    // Camera and the server in parallel: the window shows the own camera while it rings.
    const media = canPrepareMedia(connector)
      ? connector.prepareMedia({ micEnabled: prefs.micEnabled, cameraEnabled: prefs.cameraEnabled })
      : Promise.resolve(null);
    const started = this.host.request('call.start', { providerType, target });
    started.catch(() => undefined);
    // The call is known as soon as the server answers, even while the camera is still starting:
    // a decline or cancel pushed meanwhile must reach this session, not be dropped as another call's.
    void started.then(
      (call) => {
        if (this.isCurrent(session) && !this.sessionSignal()?.call) this.patch(session, { call });
      },
      () => undefined,
    );

    let preview: MediaStream | null;
    try {
      preview = await media;
    } catch (err) {
      void started.then((call) => this.cancelQuietly(call));
      this.finish(session, mediaErrorMessage(err), false);
      return;
    }
    if (!this.isCurrent(session)) {
      stopStream(preview);
      void started.then((call) => this.cancelUnlessHandled(session, call));
      return;
    }
    this.patch(session, { preview });

    let call: CallInfo;
    try {
      call = await started;
    } catch (err) {
      this.finish(session, errorMessage(err, 'The call could not be placed.'), false);
      return;
    }
    if (!this.isCurrent(session)) {
      this.cancelUnlessHandled(session, call);
      return;
    }
    // Pushes that came while the camera started are newer than the answer to call.start.
    this.applyOutgoing(session, this.knownCall(session, call.id) ?? call);
  }

  /** The session's latest state of the call `callId` (from pushes), if the session knew it. */
  private knownCall(session: CallSession, callId: string): CallInfo | null {
    const current = this.sessionSignal();
    return current?.seq === session.seq && current.call?.id === callId ? current.call : null;
  }

  /**
   * `start`'s session ended before the server's answer could be used. If the call was not known
   * to the session yet (hung up while starting), it is cancelled now; once known, whoever ended the
   * session (a hang-up, the server's push) has dealt with it.
   */
  private cancelUnlessHandled(session: CallSession, call: CallInfo): void {
    if (!this.knownCall(session, call.id)) this.cancelQuietly(call);
  }

  /**
   * Joins the group call of a room (the banner's Join, the permanent link): the room's live call,
   * or a new one. Members only: anyone else gets the server's refusal as the end message.
   */
  async joinRoom(roomId: string, providerType?: string): Promise<void> {
    const live = this.sessionSignal();
    if (this.busy()) {
      if (live?.call?.target.kind !== 'user' && live?.call?.ownerId === roomId) return;
      this.noticeSignal.set('You are already in a call.');
      return;
    }
    const session = this.open({
      direction: 'outgoing',
      providerType: providerType ?? '',
      target: { kind: 'room', roomId },
      peerId: null,
      peerName: this.host.roomTitle(roomId) ?? 'Group call',
      phase: 'connecting',
      group: true,
    });
    await this.loadMediaPrefs();
    let joined: CallJoinResponse;
    try {
      joined = await this.host.request(
        'call.room.join',
        providerType ? { roomId, providerType } : { roomId },
      );
    } catch (err) {
      this.finish(session, errorMessage(err, 'Could not join the call.'), false);
      return;
    }
    if (!this.isCurrent(session)) return;
    this.patch(session, { providerType: joined.call.providerType, call: joined.call });
    const connector = await this.host.connector(joined.call.providerType);
    if (!this.isCurrent(session)) return;
    if (!connector) {
      void this.host.request('call.hangup', { callId: joined.call.id }).catch(() => undefined);
      this.finish(
        session,
        `${this.providerTitle(joined.call.providerType)} is not available right now.`,
        false,
      );
      return;
    }
    this.connector = connector;
    await this.openView(session, joined);
  }

  // ----- group calls --------------------------------------------------------------------------

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

  async setHand(raised: boolean): Promise<void> {
    const callId = this.groupCallId();
    if (!callId) return;
    try {
      const call = await this.host.request('call.hand', { callId, raised });
      this.onUpdated(call);
    } catch (err) {
      this.noticeSignal.set(errorMessage(err, 'Could not change your hand.'));
    }
  }

  async react(emoji: string): Promise<void> {
    const callId = this.groupCallId();
    if (!callId) return;
    await this.host.request('call.reaction', { callId, emoji }).catch((err: unknown) => {
      this.noticeSignal.set(errorMessage(err, 'The reaction was not sent.'));
    });
  }

  async setScreenSharing(on: boolean): Promise<void> {
    const view = this.view;
    if (!view?.setScreenSharing) return;
    try {
      await view.setScreenSharing(on);
      this.screenSharingSignal.set(on);
    } catch (err) {
      this.screenSharingSignal.set(false);
      // Closing the browser's picker is not an error worth a notice.
      if (!(err instanceof Error && err.name === 'NotAllowedError')) {
        this.noticeSignal.set(errorMessage(err, 'Screen sharing could not start.'));
      }
    }
  }

  setLayout(layout: GroupLayout): void {
    this.layoutSignal.set(layout);
    this.view?.setLayout?.(layout);
  }

  /** Host (or admin): mute one participant, or everyone else without `userId`. */
  hostMute(userId?: string): Promise<void> {
    return this.hostAction((callId) =>
      this.host.request('call.host.mute', userId ? { callId, userId } : { callId }),
    );
  }

  hostStopScreenShare(userId: string): Promise<void> {
    return this.hostAction((callId) => this.host.request('call.host.stopScreenShare', { callId, userId }));
  }

  hostLowerHand(userId: string): Promise<void> {
    return this.hostAction((callId) => this.host.request('call.host.lowerHand', { callId, userId }));
  }

  hostRemove(userId: string): Promise<void> {
    return this.hostAction((callId) => this.host.request('call.host.remove', { callId, userId }));
  }

  hostTransfer(userId: string): Promise<void> {
    return this.hostAction((callId) => this.host.request('call.host.transfer', { callId, userId }));
  }

  /** Host: start or stop recording the group call (a refusal is shown as a recording notice). */
  toggleRecording(): Promise<void> {
    return this.setRecording(this.recording() === null);
  }

  /**
   * Host: start (`on`) or stop recording. A slow answer shows a `pending` notice; a refusal or a
   * timeout an `error` notice with "Try again" ({@link retryRecording}).
   */
  async setRecording(on: boolean): Promise<void> {
    const callId = this.groupCallId();
    if (!callId || this.recordingPendingSignal()) return;
    if (on === (this.recording() !== null)) return;
    this.recordingPendingSignal.set(true);
    const slow = setTimeout(() => {
      // Not when the server's push already said it is done (its notice stays).
      if (on === (this.recording() !== null)) return;
      this.showRecordingNotice('pending', on ? 'Starting the recording…' : 'Stopping the recording…');
    }, RECORDING_PENDING_NOTICE_MS);
    try {
      this.onUpdated(
        await this.host.request(on ? 'call.recording.start' : 'call.recording.stop', { callId }),
      );
      if (this.recordingNoticeSignal()?.kind === 'pending') this.recordingNoticeSignal.set(null);
    } catch (err) {
      const fallback = on ? 'The recording could not start.' : 'The recording could not be stopped.';
      this.showRecordingNotice('error', errorMessage(err, fallback), on ? 'start' : 'stop');
    } finally {
      clearTimeout(slow);
      this.recordingPendingSignal.set(false);
    }
  }

  /** "Try again" on an error notice: asks for the same again, unless the call got there meanwhile. */
  retryRecording(): Promise<void> {
    const retry = this.recordingNoticeSignal()?.retry;
    this.recordingNoticeSignal.set(null);
    return retry ? this.setRecording(retry === 'start') : Promise.resolve();
  }

  dismissRecordingNotice(): void {
    this.recordingNoticeSignal.set(null);
  }

  private showRecordingNotice(
    kind: RecordingNotice['kind'],
    message: string,
    retry?: 'start' | 'stop',
  ): void {
    const key = ++this.recordingNoticeKey;
    this.recordingNoticeSignal.set(retry ? { key, kind, message, retry } : { key, kind, message });
    if (kind === 'started' || kind === 'stopped' || kind === 'limit') {
      setTimeout(() => {
        if (this.recordingNoticeSignal()?.key === key) this.recordingNoticeSignal.set(null);
      }, RECORDING_NOTICE_MS);
    }
  }

  /** Host (or admin): ends the call for everyone. */
  async endForAll(): Promise<void> {
    const callId = this.groupCallId();
    if (!callId) return;
    try {
      const call = await this.host.request('call.end', { callId });
      this.onEnded(call, call.endReason ?? '');
    } catch (err) {
      this.noticeSignal.set(errorMessage(err, 'The call could not be ended.'));
    }
  }

  /**
   * Hangs up (or cancels while it rings). The window shows the end message (`reason` when given,
   * e.g. from a client half's `ended` event), then closes.
   */
  async hangup(reason?: string, options: { providerUnavailable?: boolean } = {}): Promise<void> {
    const session = this.sessionSignal();
    if (!session || session.phase === 'ended') return;
    const call = session.call;
    const ringing =
      session.direction === 'outgoing' &&
      !session.group &&
      (session.phase === 'starting' || session.phase === 'ringing');
    const message =
      reason || (ringing ? 'Call cancelled' : session.group ? 'You left the call' : 'Call ended');
    this.finish(session, message, session.phase !== 'starting');
    if (!call) return; // `start` cancels once the server answers
    try {
      if (ringing) await this.host.request('call.cancel', { callId: call.id });
      else
        await this.host.request(
          'call.hangup',
          options.providerUnavailable ? { callId: call.id, providerUnavailable: true } : { callId: call.id },
        );
    } catch {
      // Already over on the server (the other side hung up at the same time).
    }
  }

  /** Closes the window now (after the end message), or drops the notice. */
  dismiss(): void {
    const session = this.sessionSignal();
    if (session?.phase === 'ended') this.sessionSignal.set(null);
    this.noticeSignal.set(null);
  }

  // ----- incoming ---------------------------------------------------------------------------

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
    this.patch(session, { call });
    // The ring times out on the server: what answering needs is loaded side by side.
    const [prefs, connector] = await Promise.all([this.prefs.load(), this.host.connector(call.providerType)]);
    this.mutedSignal.set(!prefs.micEnabled);
    this.cameraOffSignal.set(!prefs.cameraEnabled);
    if (!this.isCurrent(session)) return;
    if (!connector) {
      void this.host.request('call.decline', { callId }).catch(() => undefined);
      this.finish(
        session,
        `${this.providerTitle(call.providerType)} is not available in this browser.`,
        false,
      );
      return;
    }
    this.connector = connector;
    let preview: MediaStream | null = null;
    if (canPrepareMedia(connector)) {
      try {
        preview = await connector.prepareMedia({
          micEnabled: prefs.micEnabled,
          cameraEnabled: prefs.cameraEnabled,
        });
      } catch (err) {
        void this.host.request('call.decline', { callId }).catch(() => undefined);
        this.finish(session, mediaErrorMessage(err), false);
        return;
      }
      if (!this.isCurrent(session)) {
        stopStream(preview);
        return;
      }
      this.patch(session, { preview });
    }
    let joined: CallJoinResponse;
    try {
      joined = await this.host.request('call.answer', { callId });
    } catch (err) {
      this.finish(session, errorMessage(err, 'The call could not be answered.'), false);
      return;
    }
    if (!this.isCurrent(session)) return;
    await this.openView(session, joined);
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

  // ----- media ------------------------------------------------------------------------------

  async setMuted(muted: boolean): Promise<void> {
    this.mutedSignal.set(muted);
    await this.view?.setMuted?.(muted);
    await this.reportMedia();
  }

  async setCameraOff(off: boolean): Promise<void> {
    this.cameraOffSignal.set(off);
    await this.view?.setCameraOff?.(off);
    await this.reportMedia();
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

  // ----- internals --------------------------------------------------------------------------

  private async loadMediaPrefs(): Promise<void> {
    const prefs = await this.prefs.load();
    this.mutedSignal.set(!prefs.micEnabled);
    this.cameraOffSignal.set(!prefs.cameraEnabled);
  }

  private groupCallId(): string | null {
    const session = this.sessionSignal();
    if (!session?.group || session.phase === 'ended') return null;
    return session.call?.id ?? null;
  }

  private async hostAction(run: (callId: string) => Promise<CallInfo>): Promise<void> {
    const callId = this.groupCallId();
    if (!callId) return;
    try {
      this.onUpdated(await run(callId));
    } catch (err) {
      this.noticeSignal.set(errorMessage(err, 'The host action failed.'));
    }
  }

  /** `call.open` (after `/call start` or `/call join` in a room): open the window and join. */
  private async openGroup(call: CallInfo): Promise<void> {
    if (this.busy()) {
      if (this.sessionSignal()?.call?.id !== call.id) this.noticeSignal.set('You are already in a call.');
      return;
    }
    const roomId = call.target.kind === 'user' ? null : call.target.roomId;
    if (!roomId) return;
    await this.joinRoom(roomId, call.providerType);
  }

  private onReaction(event: CallReactionEvent): void {
    if (event.callId !== this.sessionSignal()?.call?.id) return;
    const key = ++this.reactionKey;
    const name =
      event.userId === this.host.me()?.id
        ? 'You'
        : (this.host.users().get(event.userId)?.displayName ?? 'Someone');
    this.reactionsSignal.update((list) => [
      ...list.slice(-9),
      { key, userId: event.userId, name, emoji: event.emoji },
    ]);
    setTimeout(() => this.reactionsSignal.update((list) => list.filter((r) => r.key !== key)), REACTION_MS);
  }

  private async onModerated(event: CallModeratedEvent): Promise<void> {
    const session = this.sessionSignal();
    if (!session || session.phase === 'ended' || session.call?.id !== event.callId) return;
    const by = this.host.users().get(event.byUserId)?.displayName ?? 'The host';
    switch (event.action) {
      case 'muted':
        this.mutedSignal.set(true);
        await this.view?.setMuted?.(true);
        await this.reportMedia(false);
        this.noticeSignal.set(`${by} muted you.`);
        break;
      case 'screenShareStopped':
        await this.view?.setScreenSharing?.(false).catch(() => undefined);
        this.screenSharingSignal.set(false);
        this.noticeSignal.set(`${by} stopped your screen share.`);
        break;
      case 'handLowered':
        this.noticeSignal.set(`${by} lowered your hand.`);
        break;
      case 'removed':
        this.finish(session, `${by} removed you from the call`, true);
        break;
      case 'madeHost':
        this.noticeSignal.set(`${by} made you the host.`);
        break;
    }
  }

  /**
   * The socket came back: if a call is on, `call.join` again (the server resumes the participant
   * within the grace period) and the client half rebuilds its transports on the new socket.
   */
  private async resume(): Promise<void> {
    const session = this.sessionSignal();
    const view = this.view;
    const callId = session?.call?.id;
    if (!session || !view || !callId || session.phase !== 'active') return;
    this.reconnectingSignal.set(true);
    try {
      const joined = await this.host.request('call.join', { callId });
      if (!this.isCurrent(session) || this.view !== view) return;
      this.patch(session, { call: joined.call });
      this.syncView(joined.call);
      await view.rejoin?.(joined.joinInfo);
      void this.reportMedia(false);
    } catch (err) {
      if (this.isCurrent(session)) this.finish(session, errorMessage(err, 'The call was lost.'), true);
    } finally {
      this.reconnectingSignal.set(false);
    }
  }

  /** Group view: the joined participants and the raised hands. */
  private syncView(call: CallInfo): void {
    const session = this.sessionSignal();
    if (!session?.group || !this.view?.setParticipants) return;
    const joined = call.participants.filter((p) => p.state === 'joined');
    this.view.setParticipants(
      joined.map((p) => p.userId),
      joined.filter((p) => p.handRaisedAt).map((p) => p.userId),
    );
  }

  private open(
    init: Omit<CallSession, 'seq' | 'call' | 'endMessage' | 'preview' | 'activeSince'>,
  ): CallSession {
    if (this.clearTimer) clearTimeout(this.clearTimer);
    this.clearTimer = null;
    this.noticeSignal.set(null);
    this.reactionsSignal.set([]);
    this.speakerSignal.set(null);
    this.speakingSignal.set(new Set());
    this.screenSharingSignal.set(false);
    this.screenAllowedSignal.set(false);
    this.reconnectingSignal.set(false);
    const session: CallSession = {
      ...init,
      seq: ++this.seq,
      call: null,
      endMessage: null,
      preview: null,
      activeSince: null,
    };
    this.sessionSignal.set(session);
    return session;
  }

  private isCurrent(session: CallSession): boolean {
    const current = this.sessionSignal();
    return current !== null && current.seq === session.seq && current.phase !== 'ended';
  }

  private patch(session: CallSession, changes: Partial<CallSession>): void {
    const current = this.sessionSignal();
    if (current && current.seq === session.seq) this.sessionSignal.set({ ...current, ...changes });
  }

  private applyOutgoing(session: CallSession, call: CallInfo): void {
    this.patch(session, { call });
    if (call.state === 'ended') {
      this.finish(session, endMessageOf(call), true);
    } else if (call.state === 'ringing') {
      this.patch(session, { phase: 'ringing' });
      this.sounds.play('ringback');
    } else {
      void this.join(session, call);
    }
  }

  private async join(session: CallSession, call: CallInfo): Promise<void> {
    this.sounds.stop('ringback');
    this.patch(session, { phase: 'connecting', call });
    let joined: CallJoinResponse;
    try {
      joined = await this.host.request('call.join', { callId: call.id });
    } catch (err) {
      if (this.isCurrent(session)) this.finish(session, errorMessage(err, 'Could not join the call.'), true);
      return;
    }
    if (this.isCurrent(session)) await this.openView(session, joined);
  }

  private async openView(session: CallSession, joined: CallJoinResponse): Promise<void> {
    this.patch(session, { call: joined.call });
    const connector = this.connector;
    if (!connector) return;
    const container = await this.waitForContainer();
    if (!this.isCurrent(session)) return;
    const current = this.sessionSignal();
    const preview = current?.preview ?? null;
    // The client half takes the preview stream over from here.
    this.patch(session, { preview: null });
    const widgetCall: WidgetClientCall = {
      id: joined.call.id,
      target: joined.call.target,
      title: session.peerName,
      joinInfo: joined.joinInfo,
      signaling: this.signaling(),
      media: { micEnabled: !this.mutedSignal(), cameraEnabled: !this.cameraOffSignal() },
      localStream: preview,
      report: (event) => this.onClientEvent(session, event),
    };
    const me = this.host.me();
    if (session.group && me) {
      widgetCall.selfId = me.id;
      widgetCall.nameOf = (userId) => this.host.users().get(userId)?.displayName ?? 'Participant';
    }
    try {
      const view = (await connector.open(widgetCall, container)) as WidgetCallView;
      if (!this.isCurrent(session)) {
        await view.close();
        return;
      }
      this.view = view;
      this.screenAllowedSignal.set(
        session.group && view.screenShareAllowed === true && !!view.setScreenSharing,
      );
      if (session.group) {
        view.setLayout?.(this.layoutSignal());
        this.syncView(this.sessionSignal()?.call ?? joined.call);
      }
      this.markActive(session);
      void this.reportMedia();
    } catch (err) {
      stopStream(preview);
      if (this.isCurrent(session)) {
        const message = errorMessage(err, 'The call could not start.');
        this.finish(session, message.startsWith('Camera') ? message : mediaOrPlain(err, message), true);
        void this.host.request('call.hangup', { callId: joined.call.id }).catch(() => undefined);
      }
    }
  }

  private markActive(session: CallSession): void {
    const current = this.sessionSignal();
    if (current && current.seq === session.seq && current.phase !== 'active' && current.phase !== 'ended') {
      this.patch(session, { phase: 'active', activeSince: Date.now() });
    }
  }

  private onClientEvent(session: CallSession, event: ClientEvent): void {
    if (!this.isCurrent(session)) return;
    switch (event.type) {
      case 'joined':
        this.markActive(session);
        break;
      case 'left':
        void this.hangup();
        break;
      case 'ended':
        void this.hangup(event.reason, { providerUnavailable: event.providerUnavailable === true });
        break;
      case 'error':
        if (this.sessionSignal()?.phase === 'active') this.noticeSignal.set(event.message);
        else {
          this.finish(session, event.message, true);
          const callId = session.call?.id ?? this.sessionSignal()?.call?.id;
          if (callId) void this.host.request('call.hangup', { callId }).catch(() => undefined);
        }
        break;
      case 'state':
        if (event.muted !== undefined) this.mutedSignal.set(event.muted);
        if (event.cameraOff !== undefined) this.cameraOffSignal.set(event.cameraOff);
        if (event.screenSharing !== undefined) this.screenSharingSignal.set(event.screenSharing);
        void this.reportMedia(false);
        break;
    }
  }

  private async reportMedia(remember = true): Promise<void> {
    const muted = this.mutedSignal();
    const cameraOff = this.cameraOffSignal();
    if (remember) void this.prefs.setMedia(!muted, !cameraOff);
    const session = this.sessionSignal();
    const callId = session?.call?.id;
    if (!callId || !session || session.phase === 'ended' || session.phase === 'ringing') return;
    try {
      await this.host.request('call.media', { callId, muted, cameraOff });
    } catch {
      // The call is ending; the next call starts from the remembered state anyway.
    }
  }

  // Rings follow the same pushes in CallRings; these handle the tab's own session only.
  private onUpdated(call: CallInfo): void {
    const session = this.sessionSignal();
    if (!session || session.phase === 'ended' || session.call?.id !== call.id) return;
    if (call.state === 'ended') {
      this.onEnded(call, call.endReason ?? '');
    } else if (session.direction === 'outgoing' && session.phase === 'ringing' && call.state === 'active') {
      void this.join(session, call);
    } else {
      this.patch(session, { call });
      this.syncView(call);
    }
  }

  private onEnded(call: CallInfo, reason: string): void {
    const session = this.sessionSignal();
    if (!session || session.phase === 'ended' || session.call?.id !== call.id) return;
    this.patch(session, { call });
    this.finish(session, reason || endMessageOf(call), true);
  }

  /** Ends the session locally: sounds off, view closed, end message shown, window closes later. */
  private finish(session: CallSession, message: string, withSound: boolean): void {
    const current = this.sessionSignal();
    if (!current || current.seq !== session.seq || current.phase === 'ended') return;
    this.sounds.stop('ringback');
    if (withSound) this.sounds.play('hangup');
    stopStream(current.preview);
    this.sessionSignal.set({ ...current, phase: 'ended', endMessage: message, preview: null });
    this.recordingNoticeSignal.set(null);
    void this.closeView();
    if (this.clearTimer) clearTimeout(this.clearTimer);
    this.clearTimer = setTimeout(() => {
      this.clearTimer = null;
      if (this.sessionSignal()?.seq === session.seq) this.sessionSignal.set(null);
    }, this.config.endMessageMs);
  }

  private async closeView(): Promise<void> {
    const view = this.view;
    this.view = null;
    this.connector = null;
    try {
      await view?.close();
    } catch (err) {
      console.warn('[parley] closing the call view failed', err);
    }
  }

  private cancelQuietly(call: CallInfo): void {
    if (call.state === 'ringing')
      void this.host.request('call.cancel', { callId: call.id }).catch(() => undefined);
    else if (call.state === 'active')
      void this.host.request('call.hangup', { callId: call.id }).catch(() => undefined);
  }

  private waitForContainer(): Promise<HTMLElement> {
    if (this.container) return Promise.resolve(this.container);
    return new Promise((resolve) => this.containerWaiters.push(resolve));
  }

  private signaling(): SignalingChannel {
    return {
      request: (name, payload) => this.host.rawRequest(name, payload),
      on: (name, handler) => {
        const sub = this.host.rawEvents(name).subscribe(handler);
        return () => sub.unsubscribe();
      },
    };
  }

  private providerTitle(type: string): string {
    return (
      this.host.providers().find((p: ProviderDescriptor) => p.type === type)?.title ?? 'This call provider'
    );
  }
}

/** What the caller sees when the call ended before or without being answered. */
export function endMessageOf(call: CallInfo): string {
  if (call.endReason) return call.endReason;
  switch (call.outcome) {
    case 'declined':
      return 'declined';
    case 'missed':
      return 'no answer';
    case 'busy':
      return 'busy';
    case 'cancelled':
      return 'cancelled';
    case 'failed':
      return 'call failed';
    default:
      return 'Call ended';
  }
}

function errorMessage(err: unknown, fallback: string): string {
  return err instanceof Error && err.message ? err.message : fallback;
}

function mediaOrPlain(err: unknown, message: string): string {
  const name = err instanceof Error ? err.name : '';
  return /NotAllowed|NotFound|NotReadable|Overconstrained|Security/.test(name)
    ? mediaErrorMessage(err)
    : message;
}

function stopStream(stream: MediaStream | null | undefined): void {
  stream?.getTracks().forEach((track) => track.stop());
}
