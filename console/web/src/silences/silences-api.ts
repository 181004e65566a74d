// Silences without an alert (console/server/README.md: GET/POST /api/silences, DELETE /api/silences/:id),
// through the app's client.
import { RULE_IDS } from '@wachtpost/contracts/rule-ids';
import { request } from '../api';
import type { AlertEntry, SiteModel } from '../types';

/** Silences last at most a day, as the server enforces: a forgotten one must not hide a sensor for good. */
export const MAX_SILENCE_MIN = 24 * 60;

export interface Silence {
  id: number;
  siteId: string;
  sensorId: string | null;
  rule: string | null;
  reason: string;
  createdBy: string;
  createdAt: string;
  until: string;
}

export interface NewSilence {
  siteId: string;
  sensorId?: string;
  rule?: string;
  durationMin: number;
  reason: string;
}

/** The rule ids of the contract; rules seen on alerts are offered too, in case one is added later. */
export const KNOWN_RULES = RULE_IDS;

export function ruleChoices(entries: Iterable<AlertEntry>): string[] {
  const rules = new Set<string>(KNOWN_RULES);
  for (const e of entries) rules.add(e.alert.rule);
  return [...rules].sort();
}

/** `sensor <id>` or `rule <id>`. */
export const targetText = (s: Pick<Silence, 'sensorId' | 'rule'>): string =>
  s.sensorId !== null ? `sensor ${s.sensorId}` : `rule ${s.rule ?? '?'}`;

export const siteName = (sites: readonly SiteModel[], siteId: string): string =>
  sites.find((s) => s.id === siteId)?.name ?? siteId;

/** Checks the form before sending; the message to show, or undefined when it may be sent. */
export function checkSilence(form: {
  siteId: string;
  target: string;
  minutes: string;
  reason: string;
}): string | undefined {
  if (!form.siteId) return 'Choose a site.';
  if (!/^(sensor|rule):.+/.test(form.target)) return 'Choose a sensor or a rule to silence.';
  const n = Number(form.minutes);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SILENCE_MIN)
    return `The duration is a whole number of minutes from 1 to ${MAX_SILENCE_MIN}.`;
  if (form.reason.trim().length < 3) return 'Give a reason (at least 3 characters).';
  return undefined;
}

export function silenceBody(form: {
  siteId: string;
  target: string;
  minutes: string;
  reason: string;
}): NewSilence {
  const [kind, id = ''] = form.target.split(/:(.*)/);
  return {
    siteId: form.siteId,
    ...(kind === 'sensor' ? { sensorId: id } : { rule: id }),
    durationMin: Number(form.minutes),
    reason: form.reason.trim(),
  };
}

export const silencesApi = {
  list: () => request<{ silences: Silence[] }>('GET', '/api/silences'),
  create: (body: NewSilence) => request<Silence>('POST', '/api/silences', body),
  lift: (id: number) => request<Silence>('DELETE', `/api/silences/${encodeURIComponent(String(id))}`),
};
