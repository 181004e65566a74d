/**
 * The simulator controller's state machine, pure: what a tester may do in each phase. The runner
 * (`controller.ts`) applies a command only when `transition` allows it, so the HTTP layer can answer 409 with
 * the reason.
 */
export const MODES = ['scenario', 'feed', 'load'] as const;
export type Mode = (typeof MODES)[number];
export type Phase = 'idle' | 'running' | 'paused' | 'finished' | 'stopped' | 'failed';

export interface RunConfig {
  siteId: string;
  mode: Mode;
  /** The scenario's id (its file name without extension), in scenario mode. */
  scenario?: string;
  /** Simulated seconds per real second (scenario and feed). */
  speed: number;
  /** Events per second (load). */
  rate: number;
}

export interface SimulatorState {
  phase: Phase;
  run?: RunConfig & { startedAt: number; endedAt?: number; error?: string };
}

export type Command =
  | { type: 'start'; config: RunConfig; at: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop'; at: number }
  | { type: 'tune'; speed?: number; rate?: number }
  | { type: 'finished'; at: number }
  | { type: 'failed'; error: string; at: number };

export type Transition = { ok: true; state: SimulatorState } | { ok: false; error: string };

export const INITIAL_STATE: SimulatorState = { phase: 'idle' };

const active = (phase: Phase) => phase === 'running' || phase === 'paused';

export function transition(state: SimulatorState, command: Command): Transition {
  const refuse = (error: string): Transition => ({ ok: false, error });
  const { phase, run } = state;
  switch (command.type) {
    case 'start':
      if (active(phase)) return refuse(`a ${run?.mode} run is ${phase}; stop it first`);
      if (command.config.mode === 'scenario' && !command.config.scenario)
        return refuse('scenario mode needs a scenario');
      return { ok: true, state: { phase: 'running', run: { ...command.config, startedAt: command.at } } };
    case 'pause':
      if (phase !== 'running') return refuse(`nothing is running (the simulator is ${phase})`);
      return { ok: true, state: { phase: 'paused', run: run! } };
    case 'resume':
      if (phase !== 'paused') return refuse(`nothing is paused (the simulator is ${phase})`);
      return { ok: true, state: { phase: 'running', run: run! } };
    case 'stop':
      if (!active(phase)) return refuse(`nothing to stop (the simulator is ${phase})`);
      return { ok: true, state: { phase: 'stopped', run: { ...run!, endedAt: command.at } } };
    case 'tune': {
      if (!active(phase)) return refuse(`nothing to change (the simulator is ${phase})`);
      if (command.speed !== undefined && run!.mode === 'load')
        return refuse('speed applies to scenario and feed runs; a load run has a rate');
      if (command.rate !== undefined && run!.mode !== 'load')
        return refuse('rate applies to load runs; scenario and feed runs have a speed');
      return {
        ok: true,
        state: {
          phase,
          run: {
            ...run!,
            ...(command.speed !== undefined && { speed: command.speed }),
            ...(command.rate !== undefined && { rate: command.rate }),
          },
        },
      };
    }
    case 'finished':
      if (!active(phase)) return refuse(`no run to finish (the simulator is ${phase})`);
      return { ok: true, state: { phase: 'finished', run: { ...run!, endedAt: command.at } } };
    case 'failed':
      if (!active(phase)) return refuse(`no run to fail (the simulator is ${phase})`);
      return {
        ok: true,
        state: { phase: 'failed', run: { ...run!, endedAt: command.at, error: command.error } },
      };
  }
}
