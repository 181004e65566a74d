// Whether this browser beeps on a new critical alert, kept across reloads and sign-ins: a session that ends
// after its 12 hours must not switch the sound off unnoticed in the middle of a night shift.
const KEY = 'wachtpost.sound';

export function loadSoundOn(): boolean {
  try {
    return globalThis.localStorage?.getItem(KEY) === 'on';
  } catch {
    return false; // storage refused (privacy settings): off, as before
  }
}

export function saveSoundOn(on: boolean): void {
  try {
    globalThis.localStorage?.setItem(KEY, on ? 'on' : 'off');
  } catch {
    // Not kept; the switch still works for this page.
  }
}
