/**
 * Group-call signalling that grows with the call, not with its square: a participant who already
 * holds the call's snapshot gets only what changed (`call.delta`), not the whole call again on
 * every join, leave, mute or hand. Pure functions shared by the server (which diffs) and every
 * client (which applies), so both sides agree on the rules.
 */
import type { CallInfo, CallParticipant } from './calls';

/** `call.delta`: what changed in a group call between the snapshots `baseVersion` and `version`. */
export interface CallDelta {
  callId: string;
  /** The call's room (a client that cannot apply the delta fetches the call again with `call.current`). */
  roomId: string | null;
  /** The snapshot's `version` this applies to; a client holding another one asks for the call again. */
  baseVersion: number;
  /** The `version` of the snapshot once applied. */
  version: number;
  /** Fields of the call that changed (participants aside), with their new values. */
  call?: Partial<Omit<CallInfo, 'id' | 'participants' | 'version'>>;
  /** Participants that joined or changed, whole (matched by `userId`). */
  participants?: CallParticipant[];
}

type CallFields = Omit<CallInfo, 'id' | 'participants' | 'version'>;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * What changed from `previous` to `next` (the same call), or null when nothing did (`version`
 * aside). `next.version` and `previous.version` become the delta's versions.
 */
export function diffCall(previous: CallInfo, next: CallInfo): CallDelta | null {
  const call: Partial<CallFields> = {};
  const keys = new Set([...Object.keys(previous), ...Object.keys(next)]) as Set<keyof CallInfo>;
  for (const key of keys) {
    if (key === 'id' || key === 'participants' || key === 'version') continue;
    if (!same(previous[key], next[key])) {
      // An absent field is sent as null: JSON has no undefined.
      (call as Record<string, unknown>)[key] = next[key] ?? null;
    }
  }
  const before = new Map(previous.participants.map((p) => [p.userId, p]));
  const participants = next.participants.filter((p) => !same(before.get(p.userId), p));
  if (Object.keys(call).length === 0 && participants.length === 0) return null;
  return {
    callId: next.id,
    roomId: next.target.kind === 'user' ? null : next.target.roomId,
    baseVersion: previous.version ?? 0,
    version: next.version ?? 0,
    ...(Object.keys(call).length > 0 ? { call } : {}),
    ...(participants.length > 0 ? { participants } : {}),
  };
}

/**
 * The snapshot after `delta`, or null when it does not apply to `base` (another call, or another
 * version: the client missed a push and must fetch the call again).
 */
export function applyCallDelta(base: CallInfo, delta: CallDelta): CallInfo | null {
  if (base.id !== delta.callId || (base.version ?? 0) !== delta.baseVersion) return null;
  const participants = base.participants.slice();
  for (const changed of delta.participants ?? []) {
    const at = participants.findIndex((p) => p.userId === changed.userId);
    if (at >= 0) participants[at] = changed;
    else participants.push(changed);
  }
  return { ...base, ...delta.call, participants, version: delta.version } as CallInfo;
}
