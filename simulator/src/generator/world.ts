import type { SiteIndex, Wing } from '@wachtpost/contracts';
import type { Rng } from '../rng';

export interface Phone {
  key: string;
  cellId: string;
  /** False once found, discarded or dead: its pending bursts check this and stop. */
  active: boolean;
}

/** How attractive a regime is for smuggling: EBI (maximum security) hardly, regular wings most. */
const REGIME_WEIGHT: Record<Wing['regime'], number> = {
  regular: 1,
  hvb: 0.8,
  bba: 0.8,
  ta: 0.5,
  ait: 0.6,
  ebi: 0.1,
};

/**
 * The ground truth the sensors observe: who lives in which cell and where contraband phones are.
 * Searches, drone drops and roster changes all act on it, which is what ties their events together.
 */
export class World {
  readonly cells: readonly { id: string; wingId: string; weight: number }[];
  readonly cellsOfWing = new Map<string, string[]>();
  readonly occupant = new Map<string, string>();
  readonly cellOf = new Map<string, string>();
  readonly phonesIn = new Map<string, Phone[]>();
  private readonly detaineeIds = new Set<string>();
  private readonly phoneKeys = new Set<string>();

  constructor(
    index: SiteIndex,
    private readonly rng: Rng,
  ) {
    this.cells = index.site.wings.flatMap((w) =>
      w.cells.map((id) => ({ id, wingId: w.id, weight: REGIME_WEIGHT[w.regime] })),
    );
    for (const w of index.site.wings) this.cellsOfWing.set(w.id, [...w.cells]);
  }

  /** A new pseudonymous detainee id: never a name or a real registration number. */
  newDetaineeId(): string {
    for (;;) {
      const id = `det-${this.rng.base32(8).toLowerCase()}`;
      if (!this.detaineeIds.has(id)) {
        this.detaineeIds.add(id);
        return id;
      }
    }
  }

  /** A new pseudonymous device fingerprint, as a lawful read-out would give. */
  newPhoneKey(): string {
    for (;;) {
      const key = `dk-${this.rng.base32(10).toLowerCase()}`;
      if (!this.phoneKeys.has(key)) {
        this.phoneKeys.add(key);
        return key;
      }
    }
  }

  house(detaineeId: string, cellId: string): void {
    const previous = this.cellOf.get(detaineeId);
    if (previous !== undefined) this.occupant.delete(previous);
    this.occupant.set(cellId, detaineeId);
    this.cellOf.set(detaineeId, cellId);
  }

  release(detaineeId: string): void {
    const cell = this.cellOf.get(detaineeId);
    if (cell !== undefined) this.occupant.delete(cell);
    this.cellOf.delete(detaineeId);
  }

  freeCells(wingId?: string): string[] {
    const cells = wingId === undefined ? this.cells.map((c) => c.id) : (this.cellsOfWing.get(wingId) ?? []);
    return cells.filter((c) => !this.occupant.has(c));
  }

  /** A cell picked in proportion to its regime's smuggling weight, among `candidates` (default all). */
  smugglingTarget(rng: Rng, candidates?: readonly string[]): string | undefined {
    const allowed = candidates && new Set(candidates);
    const pool = this.cells.filter((c) => !allowed || allowed.has(c.id));
    if (pool.length === 0) return undefined;
    return rng.weighted(pool.map((c) => [c.id, c.weight] as const));
  }

  addPhone(cellId: string, key = this.newPhoneKey()): Phone {
    const phone: Phone = { key, cellId, active: true };
    const list = this.phonesIn.get(cellId) ?? [];
    list.push(phone);
    this.phonesIn.set(cellId, list);
    return phone;
  }

  removePhone(phone: Phone): void {
    phone.active = false;
    const list = this.phonesIn.get(phone.cellId);
    if (!list) return;
    const rest = list.filter((p) => p !== phone);
    if (rest.length > 0) this.phonesIn.set(phone.cellId, rest);
    else this.phonesIn.delete(phone.cellId);
  }

  activePhones(cellId: string): readonly Phone[] {
    return this.phonesIn.get(cellId) ?? [];
  }

  cellsWithPhones(): string[] {
    return [...this.phonesIn.keys()];
  }
}
