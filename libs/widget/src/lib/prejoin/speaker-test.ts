import type { TonePattern } from '../sounds/tones';

/** The speaker test: a rising three-note chime, about a second long. */
export const SPEAKER_TEST: TonePattern = {
  bursts: [
    { frequencies: [523], at: 0, duration: 0.25 },
    { frequencies: [659], at: 0.3, duration: 0.25 },
    { frequencies: [784], at: 0.6, duration: 0.4 },
  ],
  period: 0,
};

/**
 * Plays {@link SPEAKER_TEST} on the speaker `outputId` (the default without one): the chime goes
 * through an `<audio>` element, whose output the browser lets us choose (`setSinkId`). Resolves
 * when it has finished; a browser without WebAudio resolves at once.
 */
export async function playSpeakerTest(outputId: string | undefined, volume = 0.3): Promise<void> {
  const Context = globalThis.AudioContext as typeof AudioContext | undefined;
  if (!Context) return;
  const context = new Context();
  const destination = context.createMediaStreamDestination();
  const audio = new Audio();
  audio.srcObject = destination.stream;
  const sink = audio as HTMLAudioElement & { setSinkId?(id: string): Promise<void> };
  try {
    // The picked speaker where the browser can route to one; a gone device keeps the default.
    if (outputId && sink.setSinkId) await sink.setSinkId(outputId).catch(() => undefined);
    await context.resume();
    await audio.play();
    const start = context.currentTime + 0.05;
    let last: OscillatorNode | null = null;
    for (const burst of SPEAKER_TEST.bursts) {
      for (const frequency of burst.frequencies) {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.frequency.value = frequency;
        // A short fade in and out: no click at the edges.
        gain.gain.setValueAtTime(0, start + burst.at);
        gain.gain.linearRampToValueAtTime(volume, start + burst.at + 0.02);
        gain.gain.linearRampToValueAtTime(0, start + burst.at + burst.duration);
        oscillator.connect(gain).connect(destination);
        oscillator.start(start + burst.at);
        oscillator.stop(start + burst.at + burst.duration);
        last = oscillator;
      }
    }
    const finalNote = last;
    if (finalNote) await new Promise((done) => finalNote.addEventListener('ended', done, { once: true }));
  } finally {
    audio.pause();
    audio.srcObject = null;
    void context.close().catch(() => undefined);
  }
}
