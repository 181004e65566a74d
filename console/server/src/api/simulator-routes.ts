import type { NatsConnection } from '@nats-io/transport-node';
import { ControlError, FAULT_KINDS, SimulatorController, type ControllerStatus } from '@wachtpost/simulator';
import { z } from 'zod';
import { audit } from '../audit';
import { HttpError, parseInput, readJson, sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { authorize } from './authorize';
import type { ApiContext } from './context';

const Token = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must match [a-z0-9][a-z0-9-]{0,62}');
const Speed = z.number().positive().max(1_000_000);
const Rate = z.number().positive().max(50_000);

const Start = z
  .strictObject({
    siteId: Token,
    scenario: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a scenario id')
      .optional(),
    mode: z.enum(['feed', 'load']).optional(),
    speed: Speed.optional(),
    rate: Rate.optional(),
  })
  .refine((b) => (b.scenario === undefined) !== (b.mode === undefined), {
    message: 'give exactly one of scenario or mode',
    path: ['scenario'],
  });

const Tune = z
  .strictObject({ speed: Speed.optional(), rate: Rate.optional() })
  .refine((b) => b.speed !== undefined || b.rate !== undefined, {
    message: 'give speed or rate',
    path: ['speed'],
  });

const Fault = z.strictObject({
  fault: z.enum(FAULT_KINDS),
  count: z.number().int().min(1).max(100).optional(),
  sensorId: Token.optional(),
  forS: z.number().int().min(1).max(86_400).optional(),
});

export interface SimulatorCounts {
  /** Exercise events of the run's site that ingest stored since the run started. */
  accepted: number;
  /** Messages on the run's site's subjects that ingest rejected since the run started. */
  rejected: number;
}

async function counts(api: ApiContext, status: ControllerStatus): Promise<SimulatorCounts> {
  const run = status.run;
  if (!run) return { accepted: 0, rejected: 0 };
  const since = new Date(run.startedAt);
  // observed_at bounds the scan to the run's traffic (it is indexed); stored_at keeps earlier runs out.
  const accepted = await api.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM sensor_events
     WHERE site_id = $1 AND exercise AND observed_at >= $2 AND stored_at >= $3`,
    [run.siteId, new Date(status.observedFrom ?? run.startedAt - 3_600_000), since],
  );
  const rejected = await api.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM rejected_events WHERE received_at >= $1 AND subject LIKE $2`,
    [since, `sensors.v1.${run.siteId}.%`],
  );
  return { accepted: accepted.rows[0]!.n, rejected: rejected.rows[0]!.n };
}

/** What GET answers and every control action returns: the state, counters and the expectations so far. */
async function view(api: ApiContext, controller: SimulatorController) {
  const status = controller.status();
  const { observedFrom: _omit, ...rest } = status;
  return {
    ...rest,
    counters: { ...status.counters, ...(await counts(api, status)) },
    scenarios: controller.scenarios().map(({ file: _file, ...s }) => s),
    sites: controller.sites(),
    faults: FAULT_KINDS,
  };
}

const asHttp = (err: unknown): never => {
  if (err instanceof ControlError) throw new HttpError(err.status, err.message);
  throw err;
};

/**
 * Simulator control for testers (and admins): one run at a time on this console server, hosted by the
 * simulator's controller; every action is audited. Polled with GET (the page asks every second).
 */
export function simulatorRoutes(router: Router, api: ApiContext, nc: NatsConnection): SimulatorController {
  const controller = new SimulatorController({
    nc,
    sites: [...api.sites.values()].map((s) => s.site),
    onError: (err) => api.log.warn({ err }, 'simulator run failed'),
  });

  /** A control action: parsed, applied, audited (refusals too, with the reason), answered with the view. */
  const act = <S extends z.ZodType>(
    method: string,
    path: string,
    action: string,
    schema: S | undefined,
    run: (body: z.infer<S>) => Promise<unknown>,
  ) =>
    router.on(method, path, async (c) => {
      const user = await authorize(api, c, 'simulator:control');
      const body = schema ? parseInput(schema, await readJson(c.req), 'request') : undefined;
      let result: unknown;
      let refused: string | undefined;
      try {
        result = await run(body as z.infer<S>).catch(asHttp);
      } catch (err) {
        if (err instanceof HttpError) refused = err.message;
        throw err;
      } finally {
        await audit(api.pool, {
          actor: user.username,
          action,
          target: controller.status().run?.siteId,
          ip: c.ip,
          detail: { ...(body as object | undefined), ...(refused && { refused }) },
        });
      }
      sendJson(c.res, 200, { ...(await view(api, controller)), ...(result !== undefined && { result }) });
    });

  router.on('GET', '/api/simulator', async (c) => {
    await authorize(api, c, 'simulator:control');
    sendJson(c.res, 200, await view(api, controller));
  });

  act('POST', '/api/simulator/start', 'simulator-start', Start, async (body) => {
    await controller.start({ ...body, mode: body.scenario !== undefined ? 'scenario' : body.mode! });
  });
  act('POST', '/api/simulator/pause', 'simulator-pause', undefined, async () => void controller.pause());
  act('POST', '/api/simulator/resume', 'simulator-resume', undefined, async () => void controller.resume());
  act('POST', '/api/simulator/stop', 'simulator-stop', undefined, async () => void (await controller.stop()));
  act('PATCH', '/api/simulator', 'simulator-tune', Tune, async (body) => void controller.tune(body));
  act('POST', '/api/simulator/faults', 'simulator-fault', Fault, (body) => controller.inject(body));

  return controller;
}
