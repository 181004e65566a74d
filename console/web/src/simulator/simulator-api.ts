// The console server's simulator control (console/server/README.md, "Simulator"), through the app's client.
import { request } from '../api';

export type Phase = 'idle' | 'running' | 'paused' | 'finished' | 'stopped' | 'failed';
export type Verdict = 'met' | 'late' | 'missed' | 'pending';

export interface ExpectationResult {
  index: number;
  after: string;
  rule: string;
  target: string;
  severity?: string;
  status?: string;
  withinMs: number;
  verdict: Verdict;
  alertId?: string;
  rev?: number;
  latencyMs?: number;
}

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
  summary?: { met: number; late: number; missed: number; pending: number };
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
