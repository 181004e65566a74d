import { runStandalone } from '@wachtpost/platform';
import ingest from './service';

await runStandalone(ingest);
