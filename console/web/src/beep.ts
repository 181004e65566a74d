// A short two-tone beep from WebAudio for a new critical alert: no audio file to fetch, nothing for the CSP.
let context: AudioContext | undefined;

/** Creates (or wakes) the audio context; call it from a user gesture, such as switching the sound on. */
export function unlockAudio(): void {
  const Ctx = globalThis.AudioContext;
  if (!Ctx) return;
  context ??= new Ctx();
  if (context.state === 'suspended') void context.resume().catch(() => undefined);
}

/**
 * Calls `then` once a beep can sound: at once if the audio context runs, else after the page's first click or
 * key press (a browser starts audio only after the user has interacted with the page, so a reload with the
 * sound on is silent until then). Returns a function that stops waiting.
 */
export function whenAudioAllowed(then: () => void): () => void {
  const Ctx = globalThis.AudioContext;
  const ctx = Ctx && (context ??= new Ctx());
  // No WebAudio at all: nothing to wait for (beep does nothing).
  if (!ctx || ctx.state === 'running') {
    then();
    return () => undefined;
  }
  const stop = () => {
    window.removeEventListener('pointerdown', unlock, true);
    window.removeEventListener('keydown', unlock, true);
  };
  const unlock = () => {
    void ctx.resume().then(
      () => {
        if (ctx.state !== 'running') return;
        stop();
        then();
      },
      () => undefined,
    );
  };
  window.addEventListener('pointerdown', unlock, true);
  window.addEventListener('keydown', unlock, true);
  return stop;
}

export function beep(): void {
  unlockAudio();
  const ctx = context;
  if (!ctx) return;
  const start = ctx.currentTime;
  for (const [i, freq] of [880, 660].entries()) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'square';
    osc.frequency.value = freq;
    const t = start + i * 0.18;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.2, t + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.15);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.16);
  }
}
