import { REPO_ROOT, createLogger, ensureWebApp } from '@wachtpost/platform';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why the web app could not be built, for the e2e tests to fail with (empty when it built). */
    webBuildError: string;
  }
}

/**
 * Builds the console web app once per run when console/web/dist is missing or older than its sources, the
 * way `pnpm start` does. A failed build does not abort the whole run (other projects have nothing to do with
 * it): each e2e test fails with the build's message instead.
 */
export default async function setup(project: TestProject): Promise<void> {
  const log = createLogger({ log: { level: 'info', pretty: false } });
  try {
    await ensureWebApp(REPO_ROOT, log);
    project.provide('webBuildError', '');
  } catch (err) {
    project.provide('webBuildError', (err as Error).message);
  }
}
