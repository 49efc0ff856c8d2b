/** Call sounds as oscillator patterns: no audio files to ship, any volume, any length. */

/** One tone burst: frequencies played together, from `at` seconds into the cycle, for `duration` s. */
export interface ToneBurst {
  frequencies: number[];
  at: number;
  duration: number;
}

/** A pattern plays its bursts once per `period` seconds (once only when `period` is 0). */
export interface TonePattern {
  bursts: ToneBurst[];
  period: number;
}

export type SoundName = 'ringback' | 'ringtone' | 'hangup';

export const TONE_PATTERNS: Readonly<Record<SoundName, TonePattern>> = {
  /** What the caller hears while it rings: the classic 440+480 Hz, 2 s on, 4 s off. */
  ringback: { bursts: [{ frequencies: [440, 480], at: 0, duration: 2 }], period: 6 },
  /** What the callee hears: a bright two-note chime, twice, every 3 s. */
  ringtone: {
    bursts: [
      { frequencies: [784], at: 0, duration: 0.18 },
      { frequencies: [1047], at: 0.2, duration: 0.22 },
      { frequencies: [784], at: 0.6, duration: 0.18 },
      { frequencies: [1047], at: 0.8, duration: 0.3 },
    ],
    period: 3,
  },
  /** Call over: three short falling beeps, once. */
  hangup: {
    bursts: [
      { frequencies: [620], at: 0, duration: 0.14 },
      { frequencies: [480], at: 0.18, duration: 0.14 },
      { frequencies: [360], at: 0.36, duration: 0.24 },
    ],
    period: 0,
  },
};
