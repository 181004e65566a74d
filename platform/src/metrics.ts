import { collectDefaultMetrics, Registry } from 'prom-client';

/** One registry per process; every service in it registers its metrics here, once. */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

const perRegistry = new WeakMap<Registry, Map<string, unknown>>();

/**
 * Returns the metric set `key` of this registry, creating it on first use, so two workers in one process
 * share counters instead of failing on a duplicate registration.
 */
export function metricsOnce<T>(registry: Registry, key: string, create: (registry: Registry) => T): T {
  let sets = perRegistry.get(registry);
  if (!sets) perRegistry.set(registry, (sets = new Map()));
  if (!sets.has(key)) sets.set(key, create(registry));
  return sets.get(key) as T;
}

export { Registry };
