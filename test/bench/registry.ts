import { alertLatencyBench } from './alert-latency';
import { boardBench } from './board';
import { detectBench } from './detect';
import { detectorsRuntimeBench } from './detectors-runtime';
import { fanoutBench } from './fanout';
import { historyBench } from './history';
import { ingestBench } from './ingest';
import { ingestLagBench } from './ingest-lag';
import type { Background } from './steady-load';

export interface BenchOptions {
  events?: number;
  durationS?: number;
  rate?: number;
  /** alert-latency: what the background traffic is (steady-load.ts). */
  background?: Background;
}

export interface Benchmark {
  name: string;
  run(options: BenchOptions): Promise<Record<string, unknown>[]>;
}

export const benchmarks: Benchmark[] = [
  ingestBench,
  ingestLagBench,
  detectBench,
  detectorsRuntimeBench,
  alertLatencyBench,
  fanoutBench,
  boardBench,
  historyBench,
];
