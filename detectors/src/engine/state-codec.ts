import { dset, type Dict } from './dict';
import type { EngineState, LaneState } from './lane-state';
import { pendingOf, type OrderedEvent } from './reorder-buffer';

/**
 * The snapshot form of the engine state. Serialising the state pauses correlation, and at high rates its
 * largest parts are derivable: the dedupe index `seen` (rebuilt from `seenOrder`) and each buffered entry's
 * order key (rebuilt from its event). Leaving them out, and the buffer entries already handled, makes the
 * pause much shorter (see README, "Snapshots"). The state itself stays plain JSON.
 */
interface PackedLane extends Omit<LaneState, 'seen' | 'buffer' | 'bufferHead'> {
  buffered: OrderedEvent[];
}

interface PackedState {
  v: 1;
  packed: true;
  lanes: Dict<PackedLane>;
}

export function packState(state: EngineState): string {
  const lanes: Dict<PackedLane> = {};
  for (const [id, lane] of Object.entries(state.lanes)) {
    const { seen: _seen, buffer, bufferHead, ...rest } = lane;
    const buffered: OrderedEvent[] = new Array<OrderedEvent>(buffer.length - bufferHead);
    for (let i = bufferHead; i < buffer.length; i++) buffered[i - bufferHead] = buffer[i]!.event;
    lanes[id] = { ...rest, buffered };
  }
  const packed: PackedState = { v: 1, packed: true, lanes };
  return JSON.stringify(packed);
}

/** Restores a packed state, or a plain one (snapshots written before packing existed). */
export function unpackState(stored: unknown): EngineState {
  const state = (typeof stored === 'string' ? JSON.parse(stored) : stored) as EngineState | PackedState;
  if (!('packed' in state)) return state;
  const lanes: Dict<LaneState> = {};
  for (const [id, packed] of Object.entries(state.lanes)) {
    const { buffered, ...rest } = packed;
    const seen: Dict<number> = {};
    for (const [t, eventId] of rest.seenOrder) dset(seen, eventId, t);
    lanes[id] = { ...rest, seen, buffer: buffered.map(pendingOf), bufferHead: 0 };
  }
  return { v: 1, lanes };
}
