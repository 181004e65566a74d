/**
 * `pnpm bench [name...]`: runs the named benchmarks (all when none is named) against a private nats-server and
 * a fresh database on the local PostgreSQL, and prints one JSON line per figure. Benchmarks, not tests: they
 * assert nothing about speed; they measure side by side in one run and print what they saw.
 */
import { parseArgs } from 'node:util';
import { machineReference } from './machine';
import { benchmarks } from './registry';
import { BACKGROUNDS, type Background } from './steady-load';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    events: { type: 'string' },
    duration: { type: 'string' },
    rate: { type: 'string' },
    background: { type: 'string' },
  },
});
if (values.background && !BACKGROUNDS.includes(values.background as Background)) {
  console.error(`--background must be one of ${BACKGROUNDS.join(', ')}`);
  process.exit(2);
}
const unknown = positionals.filter((name) => !benchmarks.some((b) => b.name === name));
if (unknown.length) {
  console.error(
    `unknown benchmark(s): ${unknown.join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}
const selected = positionals.length ? benchmarks.filter((b) => positionals.includes(b.name)) : benchmarks;
console.log(JSON.stringify(machineReference()));
for (const bench of selected) {
  const figures = await bench.run({
    events: values.events ? Number(values.events) : undefined,
    durationS: values.duration ? Number(values.duration) : undefined,
    rate: values.rate ? Number(values.rate) : undefined,
    background: values.background as Background | undefined,
  });
  for (const figure of figures) console.log(JSON.stringify(figure));
}
process.exit(0);
