// A short two-tone beep from WebAudio for a new critical alert: no audio file to fetch, nothing for the CSP.
let context: AudioContext | undefined;

/** Creates (or wakes) the audio context; call it from a user gesture, such as switching the sound on. */
export function unlockAudio(): void {
  const Ctx = globalThis.AudioContext;
  if (!Ctx) return;
  context ??= new Ctx();
  if (context.state === 'suspended') void context.resume().catch(() => undefined);
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
