import { DOCUMENT, DestroyRef, Injectable, inject, signal } from '@angular/core';
import { PARLEY_WIDGET_CONFIG } from '../config/widget-config';
import { TONE_PATTERNS, type SoundName, type TonePattern } from './tones';

/** Creates the AudioContext; overridable in tests (jsdom has none). */
export type AudioContextFactory = () => AudioContext | null;

export function defaultAudioContextFactory(): AudioContext | null {
  const Ctor = globalThis.AudioContext as typeof AudioContext | undefined;
  return Ctor ? new Ctor() : null;
}

/**
 * Plays the call sounds with WebAudio. Browsers keep an AudioContext suspended until the user has
 * interacted with the page (autoplay rules): the player resumes it on the first click or key press
 * anywhere, and meanwhile reports `blocked` — the UI (the incoming-call toast) still shows.
 */
@Injectable({ providedIn: 'root' })
export class SoundPlayer {
  private readonly config = inject(PARLEY_WIDGET_CONFIG);
  private readonly document = inject(DOCUMENT);
  private context: AudioContext | null = null;
  private readonly loops = new Map<SoundName, ReturnType<typeof setInterval>>();
  private readonly playingSignal = signal<ReadonlySet<SoundName>>(new Set());
  private readonly blockedSignal = signal(false);
  /** Overridable in tests. */
  createContext: AudioContextFactory = defaultAudioContextFactory;

  /** The looping sounds currently on (`ringback`, `ringtone`). */
  readonly playing = this.playingSignal.asReadonly();
  /** True while the browser refuses sound until a user gesture. */
  readonly blocked = this.blockedSignal.asReadonly();

  constructor() {
    const unlock = () => void this.unlock();
    const events = ['pointerdown', 'keydown'] as const;
    for (const name of events) this.document.addEventListener(name, unlock, { capture: true, passive: true });
    inject(DestroyRef).onDestroy(() => {
      for (const name of events) this.document.removeEventListener(name, unlock, { capture: true });
      this.stopAll();
      void this.context?.close().catch(() => undefined);
    });
  }

  /** Starts a sound (looping for ringback/ringtone) until {@link stop}. Idempotent. */
  play(name: SoundName): void {
    if (this.loops.has(name)) return;
    const pattern = TONE_PATTERNS[name];
    this.playingSignal.update((set) => new Set(set).add(name));
    this.schedule(pattern);
    if (pattern.period > 0) {
      this.loops.set(
        name,
        setInterval(() => this.schedule(pattern), pattern.period * 1000),
      );
    } else {
      const total = Math.max(...pattern.bursts.map((b) => b.at + b.duration));
      const timer = setTimeout(() => this.stop(name), total * 1000 + 50);
      this.loops.set(name, timer as unknown as ReturnType<typeof setInterval>);
    }
  }

  stop(name: SoundName): void {
    const timer = this.loops.get(name);
    if (timer !== undefined) {
      clearInterval(timer);
      clearTimeout(timer as unknown as ReturnType<typeof setTimeout>);
    }
    this.loops.delete(name);
    if (this.playingSignal().has(name)) {
      this.playingSignal.update((set) => {
        const next = new Set(set);
        next.delete(name);
        return next;
      });
    }
  }

  stopAll(): void {
    for (const name of [...this.loops.keys()]) this.stop(name);
  }

  private async unlock(): Promise<void> {
    const context = this.audio();
    if (context && context.state === 'suspended') {
      await context.resume().catch(() => undefined);
    }
    this.blockedSignal.set(context?.state === 'suspended');
  }

  private audio(): AudioContext | null {
    if (!this.config.sounds) return null;
    if (!this.context) {
      try {
        this.context = this.createContext();
      } catch {
        this.context = null;
      }
    }
    return this.context;
  }

  private schedule(pattern: TonePattern): void {
    const context = this.audio();
    if (!context) return;
    if (context.state === 'suspended') {
      void context.resume().catch(() => undefined);
      this.blockedSignal.set(context.state === 'suspended');
    }
    const start = context.currentTime + 0.02;
    const volume = Math.max(0, Math.min(1, this.config.volume));
    for (const burst of pattern.bursts) {
      const gain = context.createGain();
      const t0 = start + burst.at;
      const t1 = t0 + burst.duration;
      // Short ramps avoid clicks at the edges.
      gain.gain.setValueAtTime(0, t0);
      gain.gain.linearRampToValueAtTime(volume / burst.frequencies.length, t0 + 0.02);
      gain.gain.setValueAtTime(volume / burst.frequencies.length, Math.max(t0 + 0.02, t1 - 0.03));
      gain.gain.linearRampToValueAtTime(0, t1);
      gain.connect(context.destination);
      for (const frequency of burst.frequencies) {
        const oscillator = context.createOscillator();
        oscillator.type = 'sine';
        oscillator.frequency.value = frequency;
        oscillator.connect(gain);
        oscillator.start(t0);
        oscillator.stop(t1 + 0.01);
        oscillator.onended = () => oscillator.disconnect();
      }
    }
  }
}
