import type { RuleId } from '../rules/rule-ids';

const MAX_ALERT_ID = 128;

/**
 * Alert ids come from the site, lane, rule and key (plus the occurrence after a resolve), never from a
 * clock or a random source, so a restart that replays the same events produces the same ids and the
 * runtime's upsert by id and rev stays idempotent.
 */
export function alertIdFor(
  siteId: string,
  exercise: boolean,
  rule: RuleId,
  key: string,
  occurrence: number,
): string {
  const lane = exercise ? `${siteId}.exercise` : siteId;
  const suffix = occurrence > 1 ? `#${occurrence}` : '';
  const id = `${lane}:${rule}:${key}${suffix}`;
  // Track ids may be 128 characters on their own; a stable hash keeps the id within the contract's limit.
  return id.length <= MAX_ALERT_ID ? id : `${lane}:${rule}:h${fnv1a64(key)}${suffix}`;
}

function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
