/** How often the level is read (ms): smooth enough for a bar, cheap enough for a slow laptop. */
const SAMPLE_MS = 100;

/**
 * A live microphone level, 0..1, from an AnalyserNode over a clone of `track` (the clone stays
 * enabled, so the meter moves even while the user has chosen to join muted). Returns the stop
 * function; a browser without WebAudio gets no meter (a no-op).
 */
export function startLevelMeter(track: MediaStreamTrack, onLevel: (level: number) => void): () => void {
  const Context = globalThis.AudioContext as typeof AudioContext | undefined;
  if (!Context) return () => undefined;
  const clone = track.clone();
  clone.enabled = true;
  const context = new Context();
  const source = context.createMediaStreamSource(new MediaStream([clone]));
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  // A context made outside a click may start suspended; the analyser only runs once resumed.
  void context.resume().catch(() => undefined);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    onLevel(levelOf(samples));
  }, SAMPLE_MS);
  return () => {
    clearInterval(timer);
    source.disconnect();
    clone.stop();
    void context.close().catch(() => undefined);
    onLevel(0);
  };
}

/**
 * The level of one block of samples: RMS on a dB scale from -60 dB (0) to 0 dB (1), which is how
 * a voice looks on a meter (a linear RMS would keep normal speech near the bottom).
 */
export function levelOf(samples: Float32Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}
