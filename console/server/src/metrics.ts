import { metricsOnce } from '@wachtpost/platform';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface ConsoleMetrics {
  sockets: Gauge;
  pushes: Counter;
  slowClients: Counter;
  logins: Counter<'result'>;
  actions: Counter<'action'>;
  retentionDeleted: Counter<'table'>;
  pipelineProblems: Gauge<'code'>;
}

/** The console's metrics, once per registry (two console servers in one test process share them). */
export const consoleMetrics = (registry: Registry): ConsoleMetrics =>
  metricsOnce(registry, 'console', (r) => ({
    sockets: new Gauge({ name: 'wachtpost_console_sockets', help: 'Live sockets connected', registers: [r] }),
    pushes: new Counter({
      name: 'wachtpost_console_pushes_total',
      help: 'Alert changes sent to sockets (live and replayed)',
      registers: [r],
    }),
    slowClients: new Counter({
      name: 'wachtpost_console_slow_clients_total',
      help: 'Sockets taken off the live feed for falling behind and told to resync',
      registers: [r],
    }),
    logins: new Counter({
      name: 'wachtpost_console_logins_total',
      help: 'Login attempts by result',
      labelNames: ['result'],
      registers: [r],
    }),
    actions: new Counter({
      name: 'wachtpost_console_actions_total',
      help: 'Operator actions applied',
      labelNames: ['action'],
      registers: [r],
    }),
    pipelineProblems: new Gauge({
      name: 'wachtpost_console_pipeline_problem',
      help: 'What may keep alerts from the board, by code, 1 while it holds (feed, detection-stopped, detection-behind)',
      labelNames: ['code'],
      registers: [r],
    }),
    retentionDeleted: new Counter({
      name: 'wachtpost_history_retention_deleted_total',
      help: 'Rows deleted by the history retention job (plain PostgreSQL), by table',
      labelNames: ['table'],
      registers: [r],
    }),
  }));
