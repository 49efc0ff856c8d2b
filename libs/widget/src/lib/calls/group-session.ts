import { computed, signal } from '@angular/core';
import type {
  CallInfo,
  CallJoinResponse,
  CallModeratedEvent,
  CallReactionEvent,
  CallRecordingNoticeEvent,
} from '@parley/protocol';
import {
  canPrepareMedia,
  type CallQuality,
  type ClientEvent,
  type GroupLayout,
  type MediaPreparingConnector,
  type WidgetCallView,
  type WidgetClientCall,
} from '../host/connector-types';
import { PrejoinCheck } from '../prejoin/prejoin-check';
import { CallSession } from './call-session';
import {
  errorMessage,
  providerTitle,
  stopStream,
  type RecordingNotice,
  type ShownReaction,
} from './call-session-types';
import { linkOutOf } from './link-out';

/** How long a reaction stays on screen. */
const REACTION_MS = 5000;

/** A start/stop still unanswered after this shows a `pending` notice ("Starting the recording…"). */
const RECORDING_PENDING_NOTICE_MS = 1500;

/** started/stopped/limit notices fade after this; reminder, failed and error stay until dismissed. */
const RECORDING_NOTICE_MS = 10_000;

type ModeratorRequest =
  'call.host.stopScreenShare' | 'call.host.lowerHand' | 'call.host.remove' | 'call.host.transfer';

/**
 * A group call of a room: a {@link CallSession} plus hands, reactions, who speaks, the layout,
 * the moderator's actions (the server calls the call's moderator its `host`) and recording.
 */
export class GroupSession extends CallSession {
  private readonly reactionsSignal = signal<readonly ShownReaction[]>([]);
  private readonly speakerSignal = signal<string | null>(null);
  private readonly speakingSignal = signal<ReadonlySet<string>>(new Set());
  private readonly uplinkSignal = signal<CallQuality | null>(null);
  private readonly qualitySignal = signal<Readonly<Record<string, CallQuality>>>({});
  private readonly recordingNoticeSignal = signal<RecordingNotice | null>(null);
  private readonly recordingPendingSignal = signal(false);
  private readonly prejoinSignal = signal<PrejoinCheck | null>(null);
  /** What "Join now" in the pre-join check does with its stream: join the room's call, or start it. */
  private afterPrejoin: ((stream: MediaStream | null) => Promise<void>) | null = null;
  private recordingNoticeKey = 0;
  private reactionKey = 0;

  /** Reactions on screen now. */
  readonly reactions = this.reactionsSignal.asReadonly();
  /** The dominant speaker, and who speaks now (from the client half's `speaker` events). */
  readonly activeSpeaker = this.speakerSignal.asReadonly();
  readonly speaking = this.speakingSignal.asReadonly();
  /**
   * Connection quality from the client half's `quality` events: the own uplink (null: not
   * measured) and what arrives from each participant (the tiles show it themselves).
   */
  readonly uplinkQuality = this.uplinkSignal.asReadonly();
  readonly participantQuality = this.qualitySignal.asReadonly();
  /** The recording in progress (`CallInfo.recording`), or null. */
  readonly recording = computed(() => this.state().call?.recording ?? null);
  /** The last recording notice of the call (started, stopped, reminder, limit, failed, error). */
  readonly recordingNotice = this.recordingNoticeSignal.asReadonly();
  /** A start/stop request of the moderator is under way. */
  readonly recordingPending = this.recordingPendingSignal.asReadonly();
  /** The check before joining (preview, level, devices), while it is open; null otherwise. */
  readonly prejoin = this.prejoinSignal.asReadonly();
  /** Whether the signed-in user moderates the call. */
  readonly isModerator = computed(() => {
    const call = this.state().call;
    return !!call?.hostId && call.hostId === this.ctx.host.me()?.id;
  });
  /** Whether the own hand is raised. */
  readonly handRaised = computed(() => {
    const me = this.ctx.host.me()?.id;
    return !!this.state().call?.participants.find((p) => p.userId === me)?.handRaisedAt;
  });

  /**
   * Joins the group call of a room (the banner's Join, the permanent link): the room's live call,
   * or a new one. Members only: anyone else gets the server's refusal as the end message.
   */
  async joinRoom(roomId: string, providerType?: string, options: { check?: boolean } = {}): Promise<void> {
    await this.loadMediaPrefs();
    if (providerType && options.check !== false) {
      const connector = await this.prejoinConnector(providerType);
      if (!this.live) return;
      if (connector) {
        await this.openPrejoin(connector, (stream) => {
          this.patch({ preview: stream, phase: 'connecting' });
          return this.joinNow(roomId, providerType);
        });
        return;
      }
    }
    await this.joinNow(roomId, providerType);
  }

  /** Starts the room's call (the room header's button): the pre-join check first, then `call.start`. */
  override async place(): Promise<void> {
    await this.loadMediaPrefs();
    const connector = await this.prejoinConnector(this.state().providerType);
    if (!this.live) return;
    if (!connector) return super.place();
    await this.openPrejoin(connector, (stream) => this.placeWith(connector, stream));
  }

  /**
   * "Join now" in the pre-join check: the checked stream (and, after a camera or microphone
   * problem, the microphone only or nothing) goes into the call.
   */
  async joinFromPrejoin(): Promise<void> {
    const check = this.prejoinSignal();
    const then = this.afterPrejoin;
    if (!this.live || !check || !then || check.state().starting) return;
    const { stream, send } = check.take();
    this.prejoinSignal.set(null);
    this.afterPrejoin = null;
    if (send) this.useSend(send);
    await then(stream);
  }

  /** "Cancel" in the pre-join check: nothing was joined; the window closes at once. */
  cancelPrejoin(): void {
    if (!this.prejoinSignal()) return;
    this.dropPrejoin();
    this.finish('You did not join the call', false);
    this.ctx.closed();
  }

  override async setMuted(muted: boolean): Promise<void> {
    await super.setMuted(muted);
    this.prejoinSignal()?.applySwitches(this.muted(), this.cameraOff());
  }

  override async setCameraOff(off: boolean): Promise<void> {
    await super.setCameraOff(off);
    this.prejoinSignal()?.applySwitches(this.muted(), this.cameraOff());
  }

  override dispose(): void {
    this.dropPrejoin();
    super.dispose();
  }

  /**
   * The client half to check the media with: one that gets the media itself (`prepareMedia`);
   * null (join directly) for a link-out provider, or when the check is turned off.
   */
  private async prejoinConnector(providerType: string): Promise<MediaPreparingConnector | null> {
    if (!this.ctx.prejoin || linkOutOf(this.ctx.host.providers(), providerType)) return null;
    const connector = await this.ctx.host.connector(providerType);
    return connector && canPrepareMedia(connector) ? connector : null;
  }

  /** Shows the check; `then` runs with its stream on "Join now". */
  private async openPrejoin(
    connector: MediaPreparingConnector,
    then: (stream: MediaStream | null) => Promise<void>,
  ): Promise<void> {
    const check = new PrejoinCheck(connector, () => this.mediaState());
    this.prejoinSignal.set(check);
    this.afterPrejoin = then;
    this.patch({ phase: 'starting' });
    await check.start();
    // Left (closed, another call) while the camera started.
    if (this.prejoinSignal() !== check) check.dispose();
  }

  private dropPrejoin(): void {
    this.prejoinSignal()?.dispose();
    this.prejoinSignal.set(null);
    this.afterPrejoin = null;
  }

  private async joinNow(roomId: string, providerType?: string): Promise<void> {
    let joined: CallJoinResponse;
    try {
      joined = await this.ctx.host.request(
        'call.room.join',
        providerType ? { roomId, providerType } : { roomId },
      );
    } catch (err) {
      this.finish(errorMessage(err, 'Could not join the call.'), false);
      return;
    }
    if (!this.live) return;
    const type = joined.call.providerType;
    this.patch({ providerType: type, call: joined.call });
    const connector = await this.ctx.host.connector(type);
    if (!this.live) return;
    if (!connector) {
      stopStream(this.state().preview);
      this.quietly('call.hangup', joined.call.id);
      this.finish(`${providerTitle(this.ctx.host, type)} is not available right now.`, false);
      return;
    }
    await this.openWith(connector, joined);
  }

  async setHand(raised: boolean): Promise<void> {
    const callId = this.liveCallId();
    if (!callId) return;
    try {
      this.onUpdated(await this.ctx.host.request('call.hand', { callId, raised }));
    } catch (err) {
      this.ctx.notify(errorMessage(err, 'Could not change your hand.'));
    }
  }

  async react(emoji: string): Promise<void> {
    const callId = this.liveCallId();
    if (!callId) return;
    await this.ctx.host.request('call.reaction', { callId, emoji }).catch((err: unknown) => {
      this.ctx.notify(errorMessage(err, 'The reaction was not sent.'));
    });
  }

  setLayout(layout: GroupLayout): void {
    this.ctx.layout.set(layout);
    this.view?.setLayout?.(layout);
  }

  // ----- moderator ----------------------------------------------------------------------------

  /** Mutes one participant, or everyone else without `userId`. */
  mute(userId?: string): Promise<void> {
    return this.moderate((callId) =>
      this.ctx.host.request('call.host.mute', userId ? { callId, userId } : { callId }),
    );
  }

  /** Stops a participant's screen share, lowers their hand, removes them, or hands over moderation. */
  moderateParticipant(request: ModeratorRequest, userId: string): Promise<void> {
    return this.moderate((callId) => this.ctx.host.request(request, { callId, userId }));
  }

  /** Ends the call for everyone. */
  async endForAll(): Promise<void> {
    const callId = this.liveCallId();
    if (!callId) return;
    try {
      const call = await this.ctx.host.request('call.end', { callId });
      this.onEnded(call, call.endReason ?? '');
    } catch (err) {
      this.ctx.notify(errorMessage(err, 'The call could not be ended.'));
    }
  }

  /**
   * Starts (`on`) or stops recording. A slow answer shows a `pending` notice; a refusal or a
   * timeout an `error` notice with "Try again" ({@link retryRecording}).
   */
  async setRecording(on: boolean): Promise<void> {
    const callId = this.liveCallId();
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
        await this.ctx.host.request(on ? 'call.recording.start' : 'call.recording.stop', { callId }),
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

  // ----- the server's pushes ------------------------------------------------------------------

  onRecordingNotice(event: CallRecordingNoticeEvent): void {
    if (this.owns(event.callId)) this.showRecordingNotice(event.kind, event.message);
  }

  onReaction(event: CallReactionEvent): void {
    if (!this.owns(event.callId)) return;
    const key = ++this.reactionKey;
    const name =
      event.userId === this.ctx.host.me()?.id
        ? 'You'
        : (this.ctx.host.users().get(event.userId)?.displayName ?? 'Someone');
    this.reactionsSignal.update((list) => [
      ...list.slice(-9),
      { key, userId: event.userId, name, emoji: event.emoji },
    ]);
    this.later(() => this.reactionsSignal.update((list) => list.filter((r) => r.key !== key)), REACTION_MS);
  }

  /** What the moderator did to this user. */
  async onModerated(event: CallModeratedEvent): Promise<void> {
    if (!this.owns(event.callId)) return;
    const by = this.ctx.host.users().get(event.byUserId)?.displayName ?? 'The host';
    switch (event.action) {
      case 'muted':
        await this.forceMuted();
        this.ctx.notify(`${by} muted you.`);
        break;
      case 'screenShareStopped':
        await this.forceScreenShareOff();
        this.ctx.notify(`${by} stopped your screen share.`);
        break;
      case 'handLowered':
        this.ctx.notify(`${by} lowered your hand.`);
        break;
      case 'removed':
        this.finish(`${by} removed you from the call`, true);
        break;
      case 'madeHost':
        this.ctx.notify(`${by} made you the host.`);
        break;
    }
  }

  // ----- CallSession hooks --------------------------------------------------------------------

  protected override syncView(call: CallInfo): void {
    if (!this.view?.setParticipants) return;
    const joined = call.participants.filter((p) => p.state === 'joined');
    this.view.setParticipants(
      joined.map((p) => p.userId),
      joined.filter((p) => p.handRaisedAt).map((p) => p.userId),
    );
  }

  protected override decorate(call: WidgetClientCall): void {
    const me = this.ctx.host.me();
    if (!me) return;
    call.selfId = me.id;
    call.nameOf = (userId) =>
      this.ctx.host.users().get(userId)?.displayName ??
      this.state().call?.participants.find((p) => p.userId === userId)?.guest?.displayName ??
      'Participant';
  }

  protected override viewOpened(view: WidgetCallView, joined: CallJoinResponse): void {
    view.setLayout?.(this.ctx.layout());
    this.syncView(this.state().call ?? joined.call);
  }

  protected override onOtherClientEvent(event: ClientEvent): void {
    if (event.type === 'quality') {
      if (event.uplink !== undefined) this.uplinkSignal.set(event.uplink);
      if (event.participants !== undefined) this.qualitySignal.set(event.participants);
      return;
    }
    if (event.type !== 'speaker') return;
    if (event.dominant !== undefined) this.speakerSignal.set(event.dominant);
    if (event.speaking !== undefined) this.speakingSignal.set(new Set(event.speaking));
  }

  protected override ended(): void {
    this.dropPrejoin();
    this.recordingNoticeSignal.set(null);
    this.uplinkSignal.set(null);
  }

  // ----- internals ----------------------------------------------------------------------------

  private liveCallId(): string | null {
    return this.live ? (this.state().call?.id ?? null) : null;
  }

  private async moderate(run: (callId: string) => Promise<CallInfo>): Promise<void> {
    const callId = this.liveCallId();
    if (!callId) return;
    try {
      this.onUpdated(await run(callId));
    } catch (err) {
      this.ctx.notify(errorMessage(err, 'The moderator action failed.'));
    }
  }

  private showRecordingNotice(
    kind: RecordingNotice['kind'],
    message: string,
    retry?: 'start' | 'stop',
  ): void {
    const key = ++this.recordingNoticeKey;
    this.recordingNoticeSignal.set(retry ? { key, kind, message, retry } : { key, kind, message });
    if (kind === 'started' || kind === 'stopped' || kind === 'limit') {
      this.later(() => {
        if (this.recordingNoticeSignal()?.key === key) this.recordingNoticeSignal.set(null);
      }, RECORDING_NOTICE_MS);
    }
  }
}
