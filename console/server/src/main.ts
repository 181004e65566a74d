import { runStandalone } from '@wachtpost/platform';
import consoleService from './service';

await runStandalone(consoleService);
