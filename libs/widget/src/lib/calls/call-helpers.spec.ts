import { TestBed } from '@angular/core/testing';
import type { CallInfo } from '@parley/protocol';
import { formatDuration } from '../call-window/call-window.component';
import { SoundPlayer } from '../sounds/sound-player';
import { TONE_PATTERNS } from '../sounds/tones';
import { endMessageOf } from './call.service';
import { mediaErrorMessage } from './media-errors';
import { directCall } from '../../testing/fake-widget-host';

const call = (overrides: Partial<CallInfo>): CallInfo =>
  directCall({ state: 'ended', participants: [], ...overrides });

describe('call helpers', () => {
  it('formats durations as m:ss / h:mm:ss', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(65_000)).toBe('01:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });

  it('prefers the server end reason, else names the outcome', () => {
    expect(endMessageOf(call({ endReason: 'Ada Lovelace left' }))).toBe('Ada Lovelace left');
    expect(endMessageOf(call({ outcome: 'missed' }))).toBe('no answer');
    expect(endMessageOf(call({ outcome: 'busy' }))).toBe('busy');
    expect(endMessageOf(call({ outcome: 'declined' }))).toBe('declined');
  });

  it('names the other side when it is known', () => {
    expect(endMessageOf(call({ outcome: 'declined', endReason: 'declined' }), 'Bob')).toBe(
      'Bob declined the call',
    );
    expect(endMessageOf(call({ outcome: 'missed' }), 'Bob')).toBe('Bob did not answer');
    expect(endMessageOf(call({ outcome: 'busy' }), 'Bob')).toBe('Bob is busy in another call');
    expect(endMessageOf(call({ outcome: 'cancelled' }), 'Ada', 'incoming')).toBe('Ada cancelled the call');
    expect(
      endMessageOf(call({ outcome: 'failed', endReason: 'call failed: no camera/microphone access' }), 'Bob'),
    ).toBe('Bob could not answer: no camera/microphone access');
    expect(endMessageOf(call({ outcome: 'completed', endReason: 'Bob left' }), 'Bob')).toBe('Bob left');
  });

  it('explains getUserMedia failures clearly', () => {
    expect(mediaErrorMessage(new DOMException('x', 'NotAllowedError'))).toContain('blocked');
    expect(mediaErrorMessage(new DOMException('x', 'NotFoundError'))).toContain('No camera');
    expect(mediaErrorMessage(new DOMException('x', 'NotReadableError'))).toContain('in use');
  });
});

describe('SoundPlayer', () => {
  it('plays oscillator patterns, loops ringtones until stopped, reports a suspended context as blocked', () => {
    jest.useFakeTimers();
    const oscillators: { frequency: number; started: number }[] = [];
    const context = {
      state: 'suspended',
      currentTime: 0,
      destination: {},
      resume: jest.fn(() => Promise.resolve()),
      close: jest.fn(() => Promise.resolve()),
      createGain: () => ({
        gain: { setValueAtTime: jest.fn(), linearRampToValueAtTime: jest.fn() },
        connect: jest.fn(),
      }),
      createOscillator: () => {
        const osc = {
          type: 'sine',
          frequency: { value: 0 },
          connect: jest.fn(),
          disconnect: jest.fn(),
          start: (at: number) => oscillators.push({ frequency: osc.frequency.value, started: at }),
          stop: jest.fn(),
          onended: null,
        };
        return osc;
      },
    };
    const player = TestBed.inject(SoundPlayer);
    player.createContext = () => context as unknown as AudioContext;

    player.play('ringtone');
    expect(player.playing().has('ringtone')).toBe(true);
    expect(player.blocked()).toBe(true);
    const perCycle = TONE_PATTERNS.ringtone.bursts.length;
    expect(oscillators).toHaveLength(perCycle);
    jest.advanceTimersByTime(TONE_PATTERNS.ringtone.period * 1000);
    expect(oscillators).toHaveLength(perCycle * 2);
    player.stop('ringtone');
    jest.advanceTimersByTime(10_000);
    expect(oscillators).toHaveLength(perCycle * 2);
    expect(player.playing().size).toBe(0);

    player.play('hangup');
    expect(oscillators.slice(-3).map((o) => o.frequency)).toEqual([620, 480, 360]);
    jest.advanceTimersByTime(2_000);
    expect(player.playing().has('hangup')).toBe(false);
    jest.useRealTimers();
  });
});
