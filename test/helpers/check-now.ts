// `check` for one date against a local server, with an empty job log: for tests that look at the
// dataset and dashboard findings a job left behind.
import { memoryLogSource } from '../../src/product/checker/cloudwatch-log.js';
import { runCheck } from '../../src/product/checker/run-check.js';
import type { CheckReport } from '../../src/product/checker/types.js';
import { loadConfig } from '../../src/product/config/load.js';
import type { IsoDate } from '../../src/product/shared/dates.js';
import { createWandbClient } from '../../src/product/wandb/client.js';
import { createMemoryLogger, fixedClock, testProvenance } from './fakes.js';

export async function checkAgainst(
  server: { url: string },
  apiKey: string,
  configPath: string,
  date: string,
  now: string,
): Promise<CheckReport> {
  return runCheck(
    await loadConfig(configPath),
    { date: date as IsoDate, provenance: testProvenance },
    {
      wandb: createWandbClient({ baseUrl: server.url, apiKey }),
      jobLog: memoryLogSource('job log', []),
      clock: fixedClock(now),
      log: createMemoryLogger(),
    },
  );
}
