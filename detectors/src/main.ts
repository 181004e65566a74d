import { runStandalone } from '@wachtpost/platform';
import detectors from './service';

await runStandalone(detectors);
