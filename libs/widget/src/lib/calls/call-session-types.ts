import type { WritableSignal } from '@angular/core';
import type { CallInfo, CallRecordingNoticeEvent, CallTarget, ProviderDescriptor } from '@parley/protocol';
import type { GroupLayout, SignalingChannel } from '../host/connector-types';
import type { ParleyWidgetHost } from '../host/widget-host';
import type { PreferencesStore } from '../preferences/preferences.store';
import type { SoundPlayer } from '../sounds/sound-player';
import type { MediaBlock, MediaSend } from './media-access';
import { mediaErrorMessage } from './media-errors';

/**
 * Where the local user's call is:
 * `starting` (asking the server / the camera), `ringing` (outgoing, the other side rings),
 * `connecting` (answered, media being set up), `active`, `ended` (end message shown briefly).
 */
export type CallPhase = 'starting' | 'ringing' | 'connecting' | 'active' | 'ended';

/** What the call window shows of a call: one snapshot per change (a signal of the session). */
export interface CallSessionState {
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
  /** A group call of a room (target `room`/`space`): tiles, hands, reactions, moderation. */
  group: boolean;
  /** Camera/microphone trouble before placing or answering: shown until the user decides. */
  blocked: MediaBlock | null;
  /** What the own side sends: both (undefined), the microphone only, or nothing (receive only). */
  send: MediaSend;
}

/** What a new session starts from (the rest starts empty). */
export type CallSessionInit = Omit<
  CallSessionState,
  'call' | 'endMessage' | 'preview' | 'activeSince' | 'blocked' | 'send'
>;

/**
 * What a session needs from the tab: the embedding page, the user's preferences, the sounds,
 * the call window's media container, and the tab-wide notice and layout it shares with the
 * next session.
 */
export interface CallSessionContext {
  readonly host: ParleyWidgetHost;
  readonly prefs: PreferencesStore;
  readonly sounds: SoundPlayer;
  /** How long the end message stays before the window closes. */
  readonly endMessageMs: number;
  /** Group calls open the pre-join check first (`ParleyWidgetConfig.prejoin`). */
  readonly prejoin: boolean;
  /** The call window's media container, once it is rendered. */
  container(): Promise<HTMLElement>;
  /** A non-fatal problem shown by the call window (null clears it). */
  notify(message: string | null): void;
  /** Group calls: the grid/speaker choice, kept from one call to the next. */
  readonly layout: WritableSignal<GroupLayout>;
  /** The session is over and its end message has been shown: the window may close. */
  closed(): void;
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

/**
 * A recording notice shown in the call window: the server's `call.recording.notice` kinds, or
 * `error` when the moderator's start/stop request was refused (e.g. `unavailable`).
 */
export interface RecordingNotice {
  key: number;
  /** `pending`: the start/stop is taking long (a loaded server); `error`: it was refused or timed out. */
  kind: CallRecordingNoticeEvent['kind'] | 'error' | 'pending';
  message: string;
  /** On `error`: what the moderator asked for, offered again with "Try again". */
  retry?: 'start' | 'stop';
}

/**
 * The end message of a call that ended before or without being answered, naming the other side
 * (`peerName`) when it is known: "Bob declined the call", "Bob did not answer"…
 * `direction`: whether this side placed the call (the caller's and callee's words differ).
 */
export function endMessageOf(
  call: CallInfo,
  peerName?: string | null,
  direction: 'outgoing' | 'incoming' = 'outgoing',
): string {
  const who = peerName?.trim() || null;
  if (who && call.kind === 'one-to-one') {
    const named = namedEndMessage(call, who, direction);
    if (named) return named;
  }
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

function namedEndMessage(call: CallInfo, who: string, direction: 'outgoing' | 'incoming'): string | null {
  const outgoing = direction === 'outgoing';
  switch (call.outcome) {
    case 'declined':
      return outgoing ? `${who} declined the call` : null;
    case 'missed':
      if (!outgoing) return `You missed ${who}’s call`;
      return call.endReason === 'not available' ? `${who} is not available` : `${who} did not answer`;
    case 'busy':
      return outgoing ? `${who} is busy in another call` : null;
    case 'cancelled':
      return outgoing ? null : `${who} cancelled the call`;
    case 'failed':
      // The server words the reason; the side it concerns is the one that ended the call.
      return outgoing && call.endReason?.endsWith('no camera/microphone access')
        ? `${who} could not answer: no camera/microphone access`
        : null;
    default:
      return null;
  }
}

/** The error's own message, or `fallback` when it has none. */
export function errorMessage(err: unknown, fallback: string): string {
  return err instanceof Error && err.message ? err.message : fallback;
}

/** A camera/microphone refusal in plain words, any other failure as `message`. */
export function mediaOrPlain(err: unknown, message: string): string {
  const name = err instanceof Error ? err.name : '';
  return /NotAllowed|NotFound|NotReadable|Overconstrained|Security/.test(name)
    ? mediaErrorMessage(err)
    : message;
}

export function stopStream(stream: MediaStream | null | undefined): void {
  stream?.getTracks().forEach((track) => track.stop());
}

/** The provider's title for messages ("Janus is not available right now."). */
export function providerTitle(host: ParleyWidgetHost, type: string): string {
  return host.providers().find((p: ProviderDescriptor) => p.type === type)?.title ?? 'This call provider';
}

/** The client half's channel over the tab's one socket (requests and pushes by name). */
export function signalingOver(host: ParleyWidgetHost): SignalingChannel {
  return {
    request: (name, payload) => host.rawRequest(name, payload),
    on: (name, handler) => {
      const sub = host.rawEvents(name).subscribe(handler);
      return () => sub.unsubscribe();
    },
  };
}
