import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../src/product/config/load.js';
import type { Config } from '../src/product/config/types.js';
import {
  addDays,
  type IsoDate,
  isIsoDate,
  localDateOf,
  parseWandbTime,
} from '../src/product/shared/dates.js';
import { projectFilter } from '../src/product/tracker/project-filter.js';
import { measureNode } from './measure.js';
import { type PythonCallPattern, type PythonCompany, pythonCallPattern } from './python-call-pattern.js';

export const ROOT = join(import.meta.dirname, '..');
export const MAIN = join(ROOT, 'dist', 'main.js');
export const API_KEY = 'benchkey00000000000000000000000000000000';
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100);

/** One fleet, a backfill of its last `backfillDays` days into an empty dataset, then the nightly on top. */
type Scenario = {
  readonly name: string;
  readonly size: 'geniac' | 'large';
  /** Days of runs the fleet is generated with. */
  readonly fleetDays: number;
  readonly backfillDays: number;
  /**
   * `config`: the W&B concurrency of the programme's config.yaml (max_workers: 2, the Python original's);
   * `default`: that key left out, so the product's default (8) applies.
   */
  readonly concurrency: 'config' | 'default';
  readonly targets: {
    readonly ratio: number;
    readonly dailySeconds: number;
    readonly backfillSeconds: number;
  };
};

/** `job`: the geniac fleet's whole year. `large`: a programme 10× geniac, 30 days, then a night. */
const SCENARIOS = {
  job: {
    name: 'job',
    size: 'geniac',
    fleetDays: 365,
    backfillDays: 365,
    concurrency: 'config',
    targets: { ratio: 20, dailySeconds: 30, backfillSeconds: 600 },
  },
  large: {
    name: 'large',
    size: 'large',
    fleetDays: 30,
    backfillDays: 30,
    concurrency: 'default',
    targets: { ratio: 20, dailySeconds: 60, backfillSeconds: 600 },
  },
} as const satisfies Record<string, Scenario>;

type Stats = z.infer<typeof statsSchema>;
export type Server = { url: string; child: ChildProcess };
type Range = { start: IsoDate; end: IsoDate };

/**
 * `run` on the generated geniac fleet behind `local-server --latency-ms 100`: a 365-day backfill
 * into an empty dataset, then the nightly run for the fleet's last day on top of it. Requests come from the
 * server's /_local/stats, next to the Python original's call pattern for the same fleet and range.
 */
export function benchJob(): Promise<Record<string, unknown>> {
  return benchScenario(SCENARIOS.job);
}

/** The same on the `large` fleet (about 170 companies): a 30-day backfill, then the nightly. */
export function benchLarge(): Promise<Record<string, unknown>> {
  return benchScenario(SCENARIOS.large);
}

/** A generated fleet in `dir`: its seed, config (the default concurrency unless `config`), and manifest. */
export async function generateFleet(
  dir: string,
  size: 'geniac' | 'large',
  days: number,
  concurrency: 'config' | 'default',
) {
  const fleetFile = join(dir, 'fleet.json');
  const configFile = join(dir, 'config.yaml');
  await promisify(execFile)(process.execPath, [
    MAIN,
    'generate-fleet',
    '--size',
    size,
    '--days',
    String(days),
    '--out',
    fleetFile,
    '--manifest-out',
    join(dir, 'manifest.json'),
    '--config-out',
    configFile,
  ]);
  if (concurrency === 'default') {
    const text = await readFile(configFile, 'utf8');
    await writeFile(configFile, text.replace(/^max_workers:.*\n/m, ''));
  }
  const config = await loadConfig(configFile);
  const fleet = seedSchema.parse(JSON.parse(await readFile(fleetFile, 'utf8')));
  const manifest = manifestSchema.parse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
  return { fleetFile, configFile, config, fleet, manifest };
}

async function benchScenario(scenario: Scenario): Promise<Record<string, unknown>> {
  const dir = join(ROOT, 'bench', 'out', scenario.name);
  const { targets } = scenario;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const { fleetFile, configFile, config, fleet, manifest } = await generateFleet(
    dir,
    scenario.size,
    scenario.fleetDays,
    scenario.concurrency,
  );
  const last = manifest.endDate;
  const backfill: Range = { start: addDays(last, -scenario.backfillDays), end: addDays(last, -1) };
  const daily: Range = { start: last, end: last };
  const teams = config.companies.flatMap((c) => c.teams);

  const server = await startServer(fleetFile, dir);
  try {
    const pythonFleet = pythonCompanies(config, fleet);
    const pyBackfill = pythonCallPattern({ range: backfill, companies: pythonFleet, latestBefore: [] });
    const pyDaily = pythonCallPattern({
      range: daily,
      companies: pythonFleet,
      latestBefore: pyBackfill.latestAfter,
    });
    const jobs = {
      backfill: await measureJob(
        server,
        configFile,
        dir,
        backfill,
        'backfill',
        pyBackfill,
        targets.ratio,
        targets.backfillSeconds,
      ),
      daily: await measureJob(
        server,
        configFile,
        dir,
        daily,
        'daily',
        pyDaily,
        targets.ratio,
        targets.dailySeconds,
      ),
    };
    const results = {
      fleet: {
        size: scenario.size,
        days: scenario.fleetDays,
        startDate: manifest.startDate,
        endDate: manifest.endDate,
        teams: teams.length,
        projects: fleet.projects.filter((p) => teams.includes(p.entity)).length,
        runs: manifest.counts.runs,
        latencyMs: LATENCY_MS,
        concurrency: config.max_workers,
      },
      jobs,
    };
    await writeFile(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    return results;
  } finally {
    server.child.kill('SIGTERM');
  }
}

async function measureJob(
  server: Server,
  configFile: string,
  /** The scenario's folder: the job writes its --out into `<dir>/<name>`. */
  dir: string,
  range: Range,
  name: string,
  python: PythonCallPattern,
  targetRatio: number,
  targetSeconds: number,
): Promise<Record<string, unknown>> {
  const out = join(dir, name);
  const before = await stats(server.url);
  const serverCpuBefore = await cpuSeconds(server.child.pid);
  const loadBefore = loadavg()[0]!;
  const job = await measureNode(
    [MAIN, 'run', '--config', configFile, '--start-date', range.start, '--end-date', range.end, '--out', out],
    { WANDB_BASE_URL: server.url, WANDB_API_KEY: API_KEY, LOG_LEVEL: 'error' },
  );
  if (job.code !== 0) throw new Error(`bench: ${name} run exited ${job.code}`);
  const after = await stats(server.url);
  const report = reportSchema.parse(JSON.parse(await readFile(join(out, 'run-report.json'), 'utf8')));
  const requests = after.totalRequests - before.totalRequests;
  const seconds = job.wallMs / 1000;
  return {
    range,
    requests,
    byOperation: Object.fromEntries(
      Object.entries(after.requests)
        .map(([op, n]) => [op, n - (before.requests[op] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    ),
    python: { total: python.total, countedRuns: python.countedRuns, ...python.requests },
    ratio: +(python.total / requests).toFixed(1),
    wallSeconds: +seconds.toFixed(1),
    peakRssMb: Math.round(job.maxRssMb),
    serverCpuSeconds: +((await cpuSeconds(server.child.pid)) - serverCpuBefore).toFixed(1),
    servedMb: Math.round((after.bytesServed - before.bytesServed) / 2 ** 20),
    runsCounted: report.tracker.runs_counted,
    rows: report.tracker.rows,
    datasetRows: report.dataset.rows,
    load1: [+loadBefore.toFixed(2), +loadavg()[0]!.toFixed(2)],
    targets: { ratio: python.total / requests >= targetRatio, wallTime: seconds <= targetSeconds },
  };
}

/**
 * The fleet as the Python original's call pattern sees it. The product's project filter stands in for
 * the original's fnmatch: the same answers for the config's patterns (`gpu-info`, `scratch-*`).
 */
function pythonCompanies(config: Config, fleet: z.infer<typeof seedSchema>): PythonCompany[] {
  const runsByProject = new Map<string, z.infer<typeof seedSchema>['runs']>();
  for (const run of fleet.runs) {
    const key = `${run.entity}/${run.project}`;
    const runs = runsByProject.get(key);
    if (runs) runs.push(run);
    else runsByProject.set(key, [run]);
  }
  const localDate = (text: string) => localDateOf(new Date(parseWandbTime(text)!), config.timezone);
  return config.companies.map((company) => {
    const keep = projectFilter(company);
    return {
      company: company.company,
      schedule: company.schedule.map((e) => ({ date: e.date, nodes: e.assigned_gpu_node })),
      teams: company.teams.map((team) => {
        const projects = fleet.projects.filter((p) => p.entity === team);
        return {
          projectCount: projects.length,
          keptProjects: projects
            .filter((p) => keep(p.name))
            .map((p) =>
              (runsByProject.get(`${team}/${p.name}`) ?? []).map((r) => ({
                createdDate: localDate(r.createdAt),
                heartbeatDate: localDate(r.heartbeatAt),
                hasRunInfo: r.runInfo != null,
                hasGpuName: Boolean(r.runInfo?.gpu),
              })),
            ),
          isGpuNameRequired: company.require_gpu_info,
        };
      }),
    };
  });
}

/** The local server on the fleet, its data and log in `dir`. */
export async function startServer(fleetFile: string, dir: string): Promise<Server> {
  const dataDir = join(dir, 'wandb-data');
  const child = spawn(
    process.execPath,
    [
      MAIN,
      'local-server',
      '--seed',
      fleetFile,
      '--data-dir',
      dataDir,
      '--api-key',
      API_KEY,
      '--latency-ms',
      String(LATENCY_MS),
      '--port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr?.pipe(createWriteStream(join(dir, 'server.log')));
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench: local-server exited ${code}`)));
  });
  const url = /^listening on (\S+)$/.exec(first)?.[1];
  if (!url) throw new Error(`bench: unexpected local-server output: ${first}`);
  return { url, child };
}

export async function stats(url: string): Promise<Stats> {
  const res = await fetch(`${url}/_local/stats`, {
    headers: { Authorization: `Basic ${Buffer.from(`api:${API_KEY}`).toString('base64')}` },
  });
  return statsSchema.parse(await res.json());
}

/** CPU seconds (user + system) of a process so far, from /proc; 0 where there is no /proc. */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    // Fields 14 and 15 of proc(5), counted from the state field (3); clock ticks are 1/100 s on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const statsSchema = z.object({
  totalRequests: z.number(),
  requests: z.record(z.string(), z.number()),
  bytesServed: z.number(),
  bytesReceivedByOperation: z.record(z.string(), z.number()),
});
const seedSchema = z.object({
  projects: z.array(z.object({ entity: z.string(), name: z.string() })),
  runs: z.array(
    z.object({
      entity: z.string(),
      project: z.string(),
      createdAt: z.string(),
      heartbeatAt: z.string(),
      runInfo: z.object({ gpu: z.string().nullish() }).nullish(),
    }),
  ),
});
const isoDate = z.custom<IsoDate>((v) => typeof v === 'string' && isIsoDate(v), 'not a YYYY-MM-DD date');
const manifestSchema = z.object({
  startDate: isoDate,
  endDate: isoDate,
  counts: z.object({ entities: z.number(), projects: z.number(), runs: z.number() }),
});
const reportSchema = z.object({
  tracker: z.object({ runs_counted: z.number(), rows: z.number() }),
  dataset: z.object({ rows: z.number() }),
});
