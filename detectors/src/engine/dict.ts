/**
 * Engine state must survive JSON.stringify/JSON.parse, so lookups are plain objects rather than Maps.
 * Their keys come from the wire (event ids, detainee ids, device keys), and a key like `__proto__` or
 * `constructor` must neither reach the prototype nor read an inherited member: these helpers keep
 * every read and write on own properties.
 */
export type Dict<V> = Record<string, V>;

export function dget<V>(dict: Dict<V>, key: string): V | undefined {
  return Object.hasOwn(dict, key) ? dict[key] : undefined;
}

export function dset<V>(dict: Dict<V>, key: string, value: V): void {
  if (key === '__proto__') {
    Object.defineProperty(dict, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    dict[key] = value;
  }
}

export function ddel<V>(dict: Dict<V>, key: string): void {
  if (Object.hasOwn(dict, key)) delete dict[key];
}

/** Returns the entry for `key`, creating it with `make` first when missing. */
export function dgetOrSet<V>(dict: Dict<V>, key: string, make: () => V): V {
  const found = dget(dict, key);
  if (found !== undefined) return found;
  const made = make();
  dset(dict, key, made);
  return made;
}
