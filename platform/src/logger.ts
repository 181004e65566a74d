import { pino, type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/** JSON lines to stdout; pretty only when asked for (a developer's terminal). */
export function createLogger(config: Pick<Config, 'log'>, name = 'wachtpost'): Logger {
  return pino({
    name,
    level: config.log.level,
    ...(config.log.pretty && {
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, singleLine: true, ignore: 'pid,hostname' },
      },
    }),
  });
}
