import type { Service } from '@wachtpost/platform';
import { startConsoleServer } from './console-server';

const consoleService: Service = {
  name: 'console',
  start: (ctx) => startConsoleServer(ctx),
};
export default consoleService;
