// The console server's simulator control (console/server/README.md, "Simulator"), through the app's client.
import { request } from '../api';

// The judge's and the state machine's types, type-only: `import type` is erased (verbatimModuleSyntax), so no
// simulator code reaches the bundle. Only these two files: the package's index pulls Node-only modules, which
// the web tsconfig (no Node types) cannot check, and the web package does not depend on the simulator.
import type { Phase } from '../../../../simulator/src/control/state';
import type { ExpectationResult, JudgeSummary, Verdict } from '../../../../simulator/src/scenario/judge';

export type { ExpectationResult, JudgeSummary, Phase, Verdict };

export interface SimulatorView {
  phase: Phase;
  run?: {
    siteId: string;
    mode: 'scenario' | 'feed' | 'load';
    scenario?: string;
    speed: number;
    rate: number;
    startedAt: number;
    endedAt?: number;
    error?: string;
  };
  counters: {
    published: number;
    accepted: number;
    rejected: number;
    alerts: number;
    faults: number;
    silenced: number;
    publishErrors: number;
  };
  simulatedAt?: string;
  expectations?: ExpectationResult[];
  summary?: JudgeSummary;
  silences: { sensorId: string; until: string }[];
  scenarios: { id: string; name: string; description?: string; site: string; error?: string }[];
  sites: { id: string; name: string }[];
  faults: string[];
}

export type StartBody =
  | { siteId: string; scenario: string; speed?: number }
  | { siteId: string; mode: 'feed'; speed?: number }
  | { siteId: string; mode: 'load'; rate?: number };

export interface FaultBody {
  fault: string;
  count?: number;
  sensorId?: string;
  forS?: number;
}

export const simulatorApi = {
  status: () => request<SimulatorView>('GET', '/api/simulator'),
  start: (body: StartBody) => request<SimulatorView>('POST', '/api/simulator/start', body),
  pause: () => request<SimulatorView>('POST', '/api/simulator/pause', {}),
  resume: () => request<SimulatorView>('POST', '/api/simulator/resume', {}),
  stop: () => request<SimulatorView>('POST', '/api/simulator/stop', {}),
  tune: (body: { speed?: number; rate?: number }) => request<SimulatorView>('PATCH', '/api/simulator', body),
  fault: (body: FaultBody) => request<SimulatorView>('POST', '/api/simulator/faults', body),
};
