import { SocketError } from '@parley/connector-sdk';
import { CallMachine } from './call-machine';

const t0 = new Date('2026-01-01T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function ringing(): CallMachine {
  return new CallMachine({
    id: 'c1',
    providerType: 'webrtc',
    target: { kind: 'user', userId: 'bob' },
    callerId: 'alice',
    now: t0,
  });
}

function refused(work: () => unknown, code: string): void {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(SocketError);
    expect((error as SocketError).code).toBe(code);
    return;
  }
  throw new Error(`expected a ${code} SocketError`);
}

describe('CallMachine', () => {
  it('starts ringing with the caller first and both invited', () => {
    const call = ringing();
    expect(call.info).toMatchObject({
      state: 'ringing',
      kind: 'one-to-one',
      ownerId: 'alice',
      outcome: null,
    });
    expect(call.info.participants.map((p) => [p.userId, p.state])).toEqual([
      ['alice', 'invited'],
      ['bob', 'invited'],
    ]);
    expect(call.calleeIds).toEqual(['bob']);
    expect(call.involves('alice') && call.involves('bob')).toBe(true);
    expect(call.involves('carol')).toBe(false);
  });

  it('answer -> join -> hang up: completed with the duration since the answer', () => {
    const call = ringing();
    expect(call.answer('bob', at(2000)).map((t) => t.type)).toEqual(['answered', 'joined']);
    expect(call.info.state).toBe('active');
    expect(call.join('alice', at(2500)).map((t) => t.type)).toEqual(['joined']);
    expect(call.join('alice', at(2600))).toEqual([]); // idempotent
    const transitions = call.hangup('bob', 'Bob Nguyen', at(12_000));
    expect(transitions.map((t) => t.type)).toEqual(['left', 'left', 'ended']);
    expect(call.info).toMatchObject({ state: 'ended', outcome: 'completed', endReason: 'Bob Nguyen left' });
    expect(call.info.durationSeconds).toBe(10);
    expect(call.involves('alice')).toBe(false);
  });

  it('a hang-up because the client lost the provider ends the call failed, saying so for both sides', () => {
    const call = ringing();
    call.answer('bob', at(1000));
    call.join('alice', at(1500));
    call.hangup('alice', 'Alice Martin', at(5000), 'Janus');
    expect(call.info).toMatchObject({
      state: 'ended',
      outcome: 'failed',
      endReason: 'Janus, the call provider, is unavailable',
    });
  });

  it('decline, cancel, timeout and hang-up while ringing end with the right outcome and no duration', () => {
    const declined = ringing();
    declined.decline('bob', at(1000));
    expect(declined.info).toMatchObject({ outcome: 'declined', endReason: 'declined', durationSeconds: 0 });
    const noMedia = ringing();
    noMedia.decline('bob', at(1000), true);
    expect(noMedia.info).toMatchObject({
      outcome: 'failed',
      endReason: 'call failed: no camera/microphone access',
    });
    const cancelled = ringing();
    cancelled.cancel('alice', at(1000));
    expect(cancelled.info).toMatchObject({ outcome: 'cancelled', endReason: 'cancelled' });
    const missed = ringing();
    missed.timeout(at(30_000));
    expect(missed.info).toMatchObject({ outcome: 'missed', endReason: 'no answer' });
    const callerHangsUp = ringing();
    callerHangsUp.hangup('alice', 'Alice', at(1));
    expect(callerHangsUp.info.outcome).toBe('cancelled');
    const calleeHangsUp = ringing();
    calleeHangsUp.hangup('bob', 'Bob', at(1));
    expect(calleeHangsUp.info.outcome).toBe('declined');
  });

  it('refuses what a role or state does not allow, leaving the call unchanged', () => {
    const call = ringing();
    refused(() => call.answer('alice', t0), 'forbidden');
    refused(() => call.decline('alice', t0), 'forbidden');
    refused(() => call.cancel('bob', t0), 'forbidden');
    refused(() => call.answer('carol', t0), 'forbidden');
    refused(() => call.join('alice', t0), 'conflict');
    refused(() => call.media('alice', true, false), 'conflict');
    expect(call.info.state).toBe('ringing');
    call.answer('bob', t0);
    refused(() => call.answer('bob', t0), 'conflict');
    refused(() => call.cancel('alice', t0), 'conflict');
    refused(() => call.timeout(t0), 'conflict');
    call.hangup('alice', 'Alice', at(1));
    refused(() => call.hangup('bob', 'Bob', t0), 'conflict');
    refused(() => call.end('failed', 'x', t0), 'conflict');
    refused(() => call.media('bob', true, true), 'conflict');
  });

  it('tracks mute/camera of joined participants and says whether it changed', () => {
    const call = ringing();
    call.answer('bob', t0);
    expect(call.media('bob', true, false)).toBe(true);
    expect(call.media('bob', true, false)).toBe(false);
    expect(call.participant('bob')).toMatchObject({ muted: true, cameraOff: false });
    const copy = call.snapshot();
    call.media('bob', false, true);
    expect(copy.participants[1]).toMatchObject({ muted: true, cameraOff: false });
  });

  it('fails an active call with the reason', () => {
    const call = ringing();
    call.answer('bob', t0);
    const transitions = call.end('failed', 'call failed: no worker', at(500));
    expect(transitions.at(-1)).toMatchObject({ type: 'failed', detail: 'call failed: no worker' });
    expect(call.info).toMatchObject({ outcome: 'failed', durationSeconds: 0.5 });
  });
});
