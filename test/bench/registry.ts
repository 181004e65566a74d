import { alertLatencyBench } from './alert-latency';
import { boardBench } from './board';
import { detectBench } from './detect';
import { fanoutBench } from './fanout';
import { historyBench } from './history';
import { ingestBench } from './ingest';
import { ingestLagBench } from './ingest-lag';

export interface BenchOptions {
  events?: number;
  durationS?: number;
  rate?: number;
}

export interface Benchmark {
  name: string;
  run(options: BenchOptions): Promise<Record<string, unknown>[]>;
}

export const benchmarks: Benchmark[] = [
  ingestBench,
  ingestLagBench,
  detectBench,
  alertLatencyBench,
  fanoutBench,
  boardBench,
  historyBench,
];
