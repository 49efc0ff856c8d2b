import { signal } from '@angular/core';
import type { CallInfo, CallJoinResponse } from '@parley/protocol';
import {
  canPrepareMedia,
  type ClientConnector,
  type ClientEvent,
  type InitialMediaState,
  type WidgetCallView,
  type WidgetClientCall,
} from '../host/connector-types';
import type { IncomingRing } from './call-rings';
import {
  endMessageOf,
  errorMessage,
  mediaOrPlain,
  providerTitle,
  signalingOver,
  stopStream,
  type CallSessionContext,
  type CallSessionInit,
  type CallSessionState,
} from './call-session-types';
import { linkOutOf, openLinkOut } from './link-out';
import { mediaBlockOf, mediaSurelyGranted, type MediaSend } from './media-access';
import { mediaErrorMessage } from './media-errors';
import { rememberedDevices } from '../prejoin/devices';

/**
 * One call of this tab, from placing or answering it to its end message (the CDK `DialogRef`
 * idea: a handle per opened thing that owns its lifecycle). It owns the call's state, media
 * state, client-half view and timers, and closes itself: once {@link live} is false every late
 * answer to it is ignored, and the window is told to close after the end message.
 * {@link GroupSession} adds what only group calls have.
 */
export class CallSession {
  private readonly stateSignal;
  private readonly mutedSignal = signal(false);
  private readonly cameraOffSignal = signal(false);
  private readonly screenSharingSignal = signal(false);
  private readonly screenAllowedSignal = signal(false);
  private readonly reconnectingSignal = signal(false);
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  protected view: WidgetCallView | null = null;
  private connector: ClientConnector | null = null;

  /** The call as the window shows it. */
  readonly state;
  readonly muted = this.mutedSignal.asReadonly();
  readonly cameraOff = this.cameraOffSignal.asReadonly();
  readonly screenSharing = this.screenSharingSignal.asReadonly();
  /** The provider and the admins allow screen sharing in this call. */
  readonly screenShareAllowed = this.screenAllowedSignal.asReadonly();
  /** The socket dropped during the call and the media is being set up again. */
  readonly reconnecting = this.reconnectingSignal.asReadonly();

  constructor(
    protected readonly ctx: CallSessionContext,
    init: CallSessionInit,
  ) {
    this.stateSignal = signal<CallSessionState>({
      ...init,
      call: null,
      endMessage: null,
      preview: null,
      activeSince: null,
      blocked: null,
      send: undefined,
    });
    this.state = this.stateSignal.asReadonly();
  }

  /** Not ended yet: answers and pushes still apply. */
  get live(): boolean {
    return this.stateSignal().phase !== 'ended';
  }

  /** Whether `callId` is this session's call and the session is still on. */
  owns(callId: string | undefined): boolean {
    return this.live && callId !== undefined && this.stateSignal().call?.id === callId;
  }

  // ----- placing and answering ----------------------------------------------------------------

  /** Places the call (`call.start`): the window shows the own camera while the other side rings. */
  async place(): Promise<void> {
    const { providerType } = this.stateSignal();
    const prefs = await this.loadMediaPrefs();
    const connector = await this.ctx.host.connector(providerType);
    if (!this.live) return;
    if (!connector) {
      this.finish(`${providerTitle(this.ctx.host, providerType)} is not available right now.`, false);
      return;
    }
    this.connector = connector;
    if (canPrepareMedia(connector) && !(await mediaSurelyGranted())) {
      // Media first: nobody rings for a caller whose camera/microphone is blocked or missing.
      let preview: MediaStream;
      try {
        preview = await connector.prepareMedia(prefs);
      } catch (err) {
        if (this.live) this.patch({ blocked: await mediaBlockOf(connector, err, prefs) });
        return;
      }
      if (!this.live) return stopStream(preview);
      await this.ring(Promise.resolve(preview));
      return;
    }
    // Already granted: the camera and the server in parallel.
    await this.ring(canPrepareMedia(connector) ? connector.prepareMedia(prefs) : Promise.resolve(null));
  }

  /**
   * After a {@link CallSessionState.blocked} message: place or answer the call sending the
   * microphone only (`audio`) or nothing (`none`: receive only).
   */
  async continueWith(send: 'audio' | 'none'): Promise<void> {
    const { blocked, direction, call } = this.stateSignal();
    const connector = this.connector;
    if (!this.live || !blocked || !connector || !canPrepareMedia(connector)) return;
    this.useSend(send);
    this.patch({ blocked: null });
    let preview: MediaStream;
    try {
      preview = await connector.prepareMedia(this.mediaState());
    } catch (err) {
      if (this.live) this.patch({ blocked: { message: mediaErrorMessage(err), audioOnly: false } });
      return;
    }
    if (!this.live) return stopStream(preview);
    this.patch({ preview });
    if (direction === 'outgoing') await this.ring(Promise.resolve(preview));
    else if (call) await this.answerWithMedia(call.id);
  }

  /**
   * The user closes a {@link CallSessionState.blocked} message: nothing was placed (a caller), or
   * the ring ends `failed: no camera/microphone access` (a callee), and the window closes.
   */
  giveUp(): void {
    const { blocked, direction, call } = this.stateSignal();
    if (!this.live || !blocked) return;
    if (direction === 'incoming' && call) {
      void this.ctx.host.request('call.decline', { callId: call.id, noMedia: true }).catch(() => undefined);
    }
    this.finish(blocked.message, false);
    this.ctx.closed();
  }

  /** `call.start` while the own media (`media`) starts: the window shows it while the other side rings. */
  private async ring(media: Promise<MediaStream | null>): Promise<void> {
    const { providerType, target } = this.stateSignal();
    const started = this.ctx.host.request('call.start', { providerType, target });
    started.catch(() => undefined);
    // The call is known as soon as the server answers, even while the camera is still starting:
    // a decline or cancel pushed meanwhile must reach this session, not be dropped as another call's.
    void started.then(
      (call) => {
        if (this.live && !this.stateSignal().call) this.patch({ call });
      },
      () => undefined,
    );

    let preview: MediaStream | null;
    try {
      preview = await media;
    } catch (err) {
      void started.then((call) => this.cancelQuietly(call));
      this.finish(mediaErrorMessage(err), false, { stay: true });
      return;
    }
    if (!this.live) {
      stopStream(preview);
      void started.then((call) => this.cancelUnlessHandled(call));
      return;
    }
    this.patch({ preview });

    let call: CallInfo;
    try {
      call = await started;
    } catch (err) {
      this.finish(errorMessage(err, 'The call could not be placed.'), false);
      return;
    }
    if (!this.live) {
      this.cancelUnlessHandled(call);
      return;
    }
    // Pushes that came while the camera started are newer than the answer to call.start.
    this.applyOutgoing(this.knownCall(call.id) ?? call);
  }

  /** Answers an incoming ring: prefs and the client half load side by side (the ring times out). */
  async answer(ring: IncomingRing): Promise<void> {
    const { call } = ring;
    const callId = call.id;
    this.patch({ call });
    const [prefs, connector] = await Promise.all([
      this.loadMediaPrefs(),
      this.ctx.host.connector(call.providerType),
    ]);
    if (!this.live) return;
    if (!connector) {
      this.quietly('call.decline', callId);
      this.finish(
        `${providerTitle(this.ctx.host, call.providerType)} is not available in this browser.`,
        false,
      );
      return;
    }
    this.connector = connector;
    if (canPrepareMedia(connector)) {
      let preview: MediaStream | null;
      try {
        preview = await connector.prepareMedia(prefs);
      } catch (err) {
        // The call keeps ringing while the callee picks audio only, receive only or gives up.
        if (this.live) this.patch({ blocked: await mediaBlockOf(connector, err, prefs) });
        return;
      }
      if (!this.live) {
        stopStream(preview);
        return;
      }
      this.patch({ preview });
    }
    await this.answerWithMedia(callId);
  }

  private async answerWithMedia(callId: string): Promise<void> {
    let joined: CallJoinResponse;
    try {
      joined = await this.ctx.host.request('call.answer', { callId });
    } catch (err) {
      this.finish(errorMessage(err, 'The call could not be answered.'), false);
      return;
    }
    if (this.live) await this.openView(joined);
  }

  // ----- during the call ----------------------------------------------------------------------

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
        this.ctx.notify(errorMessage(err, 'Screen sharing could not start.'));
      }
    }
  }

  /**
   * Hangs up (or cancels while it rings). The window shows the end message (`reason` when given,
   * e.g. from a client half's `ended` event), then closes.
   */
  async hangup(reason?: string, options: { providerUnavailable?: boolean } = {}): Promise<void> {
    const session = this.stateSignal();
    if (!this.live) return;
    const call = session.call;
    const ringing =
      session.direction === 'outgoing' &&
      !session.group &&
      (session.phase === 'starting' || session.phase === 'ringing');
    const message =
      reason || (ringing ? 'Call cancelled' : session.group ? 'You left the call' : 'Call ended');
    this.finish(message, session.phase !== 'starting');
    if (!call) return; // `place` cancels once the server answers
    try {
      if (ringing) await this.ctx.host.request('call.cancel', { callId: call.id });
      else
        await this.ctx.host.request(
          'call.hangup',
          options.providerUnavailable ? { callId: call.id, providerUnavailable: true } : { callId: call.id },
        );
    } catch {
      // Already over on the server (the other side hung up at the same time).
    }
  }

  // ----- the server's pushes ------------------------------------------------------------------

  /** `call.updated` / `call.room.updated` of any call: applied when it is this session's. */
  onUpdated(call: CallInfo): void {
    if (!this.owns(call.id)) return;
    const { direction, phase } = this.stateSignal();
    if (call.state === 'ended') {
      this.onEnded(call, call.endReason ?? '');
    } else if (direction === 'outgoing' && phase === 'ringing' && call.state === 'active') {
      void this.join(call);
    } else {
      this.patch({ call });
      this.syncView(call);
    }
  }

  onEnded(call: CallInfo, reason: string): void {
    if (!this.owns(call.id)) return;
    this.patch({ call });
    const { peerName, direction, group } = this.stateSignal();
    this.finish(group ? reason || endMessageOf(call) : endMessageOf(call, peerName, direction), true);
  }

  onDisconnected(): void {
    if (this.stateSignal().phase === 'active') this.reconnectingSignal.set(true);
  }

  /**
   * The socket came back: if the call is on, `call.join` again (the server resumes the participant
   * within the grace period) and the client half rebuilds its transports on the new socket.
   */
  async onConnected(): Promise<void> {
    const view = this.view;
    const callId = this.stateSignal().call?.id;
    if (!view || !callId || this.stateSignal().phase !== 'active') return;
    this.reconnectingSignal.set(true);
    try {
      const joined = await this.ctx.host.request('call.join', { callId });
      if (!this.live || this.view !== view) return;
      this.patch({ call: joined.call });
      this.syncView(joined.call);
      await view.rejoin?.(joined.joinInfo);
      void this.reportMedia(false);
    } catch (err) {
      if (this.live) this.finish(errorMessage(err, 'The call was lost.'), true);
    } finally {
      this.reconnectingSignal.set(false);
    }
  }

  // ----- ending -------------------------------------------------------------------------------

  /** Ends the session locally: sounds off, view closed, end message shown, window closes later. */
  finish(message: string, withSound: boolean, options: { stay?: boolean } = {}): void {
    if (!this.live) return;
    this.ctx.sounds.stop('ringback');
    if (withSound) this.ctx.sounds.play('hangup');
    stopStream(this.stateSignal().preview);
    this.patch({ phase: 'ended', endMessage: message, preview: null, blocked: null });
    this.ended();
    void this.closeView();
    // A camera/microphone message stays until the user closes it (it says what to change).
    if (!options.stay) this.later(() => this.ctx.closed(), this.ctx.endMessageMs);
  }

  /** The tab goes away (or the window was dismissed): timers off, view closed. */
  dispose(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
    stopStream(this.stateSignal().preview);
    void this.closeView();
  }

  // ----- for GroupSession ---------------------------------------------------------------------

  /** A timer owned by the session: cleared when it is disposed. */
  protected later(run: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  protected patch(changes: Partial<CallSessionState>): void {
    this.stateSignal.update((state) => ({ ...state, ...changes }));
  }

  protected async loadMediaPrefs(): Promise<InitialMediaState> {
    const prefs = await this.ctx.prefs.load();
    this.mutedSignal.set(!prefs.micEnabled);
    this.cameraOffSignal.set(!prefs.cameraEnabled);
    return { ...rememberedDevices(), micEnabled: prefs.micEnabled, cameraEnabled: prefs.cameraEnabled };
  }

  /** A moderator's action applied to the own media (the server already changed its state). */
  protected async forceMuted(): Promise<void> {
    this.mutedSignal.set(true);
    await this.view?.setMuted?.(true);
    await this.reportMedia(false);
  }

  protected async forceScreenShareOff(): Promise<void> {
    await this.view?.setScreenSharing?.(false).catch(() => undefined);
    this.screenSharingSignal.set(false);
  }

  /** Places the call with media acquired already (a group call's pre-join check). */
  protected async placeWith(connector: ClientConnector, preview: MediaStream | null): Promise<void> {
    this.connector = connector;
    await this.ring(Promise.resolve(preview));
  }

  /** Uses `connector` to open the view of the call `joined` (group sessions join rooms this way). */
  protected async openWith(connector: ClientConnector, joined: CallJoinResponse): Promise<void> {
    this.connector = connector;
    await this.openView(joined);
  }

  // Hooks for GroupSession (a one-to-one call has none of these).
  /** The joined participants and the raised hands reach the view. */
  protected syncView(_call: CallInfo): void {}
  /** What the client half needs beyond a one-to-one call. */
  protected decorate(_call: WidgetClientCall): void {}
  protected viewOpened(_view: WidgetCallView, _joined: CallJoinResponse): void {}
  /** Client-half events beyond the common ones (`speaker`). */
  protected onOtherClientEvent(_event: ClientEvent): void {}
  /** The session ended: notices and the like go. */
  protected ended(): void {}

  protected quietly(name: 'call.decline' | 'call.hangup' | 'call.cancel', callId: string): void {
    void this.ctx.host.request(name, { callId }).catch(() => undefined);
  }

  // ----- internals ----------------------------------------------------------------------------

  /** The session's latest state of the call `callId` (from pushes), if the session knew it. */
  private knownCall(callId: string): CallInfo | null {
    const call = this.stateSignal().call;
    return call?.id === callId ? call : null;
  }

  /**
   * `place`'s session ended before the server's answer could be used. If the call was not known
   * to the session yet (hung up while starting), it is cancelled now; once known, whoever ended the
   * session (a hang-up, the server's push) has dealt with it.
   */
  private cancelUnlessHandled(call: CallInfo): void {
    if (!this.knownCall(call.id)) this.cancelQuietly(call);
  }

  private cancelQuietly(call: CallInfo): void {
    if (call.state === 'ringing') this.quietly('call.cancel', call.id);
    else if (call.state === 'active') this.quietly('call.hangup', call.id);
  }

  private applyOutgoing(call: CallInfo): void {
    this.patch({ call });
    if (call.state === 'ended') {
      this.finish(endMessageOf(call, this.stateSignal().peerName, 'outgoing'), true);
    } else if (call.state === 'ringing') {
      this.patch({ phase: 'ringing' });
      this.ctx.sounds.play('ringback');
    } else {
      void this.join(call);
    }
  }

  private async join(call: CallInfo): Promise<void> {
    this.ctx.sounds.stop('ringback');
    this.patch({ phase: 'connecting', call });
    let joined: CallJoinResponse;
    try {
      joined = await this.ctx.host.request('call.join', { callId: call.id });
    } catch (err) {
      if (this.live) this.finish(errorMessage(err, 'Could not join the call.'), true);
      return;
    }
    if (this.live) await this.openView(joined);
  }

  private async openView(joined: CallJoinResponse): Promise<void> {
    this.patch({ call: joined.call });
    const connector = this.connector;
    if (!connector) return;
    const container = await this.ctx.container();
    if (!this.live) return;
    const preview = this.stateSignal().preview;
    // The client half takes the preview stream over from here.
    this.patch({ preview: null });
    const widgetCall: WidgetClientCall = {
      id: joined.call.id,
      target: joined.call.target,
      title: this.stateSignal().peerName,
      joinInfo: joined.joinInfo,
      signaling: signalingOver(this.ctx.host),
      media: this.mediaState(),
      localStream: preview,
      report: (event) => this.onClientEvent(event),
    };
    this.decorate(widgetCall);
    try {
      const providerType = joined.call.providerType;
      const linkOut = linkOutOf(this.ctx.host.providers(), providerType);
      const view = linkOut
        ? openLinkOut(widgetCall, container, linkOut, providerTitle(this.ctx.host, providerType))
        : ((await connector.open(widgetCall, container)) as WidgetCallView);
      if (!this.live) {
        await view.close();
        return;
      }
      this.view = view;
      // One-to-one calls share screens too (the provider's and the admins' switch still apply).
      this.screenAllowedSignal.set(view.screenShareAllowed === true && !!view.setScreenSharing);
      this.viewOpened(view, joined);
      this.markActive();
      void this.reportMedia();
    } catch (err) {
      stopStream(preview);
      if (this.live) {
        const message = errorMessage(err, 'The call could not start.');
        const media = mediaOrPlain(err, message) !== message || message.startsWith('Camera');
        this.finish(media ? mediaOrPlain(err, message) : message, true, { stay: media });
        this.quietly('call.hangup', joined.call.id);
      }
    }
  }

  /**
   * The initial media state handed to the client half: prefs, what is sent at all, and the
   * devices picked in a pre-join check (remembered in this browser, so 1:1 calls use them too).
   */
  protected mediaState(): InitialMediaState {
    const send = this.stateSignal().send;
    const state = {
      ...rememberedDevices(),
      micEnabled: !this.mutedSignal(),
      cameraEnabled: !this.cameraOffSignal(),
    };
    return send ? { ...state, send } : state;
  }

  /** The call sends the microphone only, or nothing (a block's choice, a pre-join check's fallback). */
  protected useSend(send: MediaSend): void {
    this.applySend(send);
    this.patch({ send });
  }

  /** Audio only: the camera is off for good; receive only: the microphone too. */
  private applySend(send: MediaSend): void {
    if (send) this.cameraOffSignal.set(true);
    if (send === 'none') this.mutedSignal.set(true);
  }

  private markActive(): void {
    const { phase } = this.stateSignal();
    if (phase !== 'active' && phase !== 'ended') this.patch({ phase: 'active', activeSince: Date.now() });
  }

  private onClientEvent(event: ClientEvent): void {
    if (!this.live) return;
    switch (event.type) {
      case 'joined':
        this.markActive();
        break;
      case 'left':
        void this.hangup();
        break;
      case 'ended':
        void this.hangup(event.reason, { providerUnavailable: event.providerUnavailable === true });
        break;
      case 'error':
        if (this.stateSignal().phase === 'active') this.ctx.notify(event.message);
        else {
          this.finish(event.message, true);
          const callId = this.stateSignal().call?.id;
          if (callId) this.quietly('call.hangup', callId);
        }
        break;
      case 'state':
        if (event.muted !== undefined) this.mutedSignal.set(event.muted);
        if (event.cameraOff !== undefined) this.cameraOffSignal.set(event.cameraOff);
        if (event.screenSharing !== undefined) this.screenSharingSignal.set(event.screenSharing);
        void this.reportMedia(false);
        break;
      default:
        this.onOtherClientEvent(event);
    }
  }

  private async reportMedia(remember = true): Promise<void> {
    const muted = this.mutedSignal();
    const cameraOff = this.cameraOffSignal();
    // Audio-only / receive-only is this call's necessity, not the user's choice for the next one.
    if (remember && !this.stateSignal().send) void this.ctx.prefs.setMedia(!muted, !cameraOff);
    const { call, phase } = this.stateSignal();
    if (!call || phase === 'ended' || phase === 'ringing') return;
    try {
      await this.ctx.host.request('call.media', { callId: call.id, muted, cameraOff });
    } catch {
      // The call is ending; the next call starts from the remembered state anyway.
    }
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
}
