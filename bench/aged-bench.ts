// `npm run bench -- aged`: the large fleet's nightly and `check` on a programme's history (docs/behaviour.md
// §14). For each age (a month, a year, three years of synthetic rows before the fleet's last day) a fresh
// local server holds the history as the job keeps it (a version per month, each month file with its sums
// file), the nightly for the last day runs on top, then `check` for that day. The night's cost should follow
// its own work, not the history: wall time within 1.25× of the month's, the job's peak RSS ≤ 1 GB and
// check's ≤ 400 MB at every age, each leaving the ECS task's memory HEADROOM (infra/lib/task-sizes.ts).

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HEADROOM, TASK_MEMORY_MIB } from '../infra/lib/task-sizes.js';
import { createMonthSumsBuilder } from '../src/product/calculator/month-sums.js';
import { ignoreTagMatcher } from '../src/product/calculator/usage-filter.js';
import type { Config } from '../src/product/config/types.js';
import type { ManifestEntry } from '../src/product/shared/artifact-manifest.js';
import { addDays, type IsoDate } from '../src/product/shared/dates.js';
import { md5Base64 } from '../src/product/shared/hash.js';
import { DATASET_JOB_TYPE } from '../src/product/shared/names.js';
import type { RunDay } from '../src/product/shared/run-day.js';
import {
  csvText,
  datasetTarget,
  monthFilePath,
  sumsFilePath,
} from '../src/product/uploader/dataset-target.js';
import { compareDatasetOrder } from '../src/product/uploader/merge-dataset.js';
import { encodeMonthSums, ignoreTagsKey } from '../src/product/uploader/month-sums-file.js';
import { openArtifact, writeArtifact } from '../src/product/wandb/artifacts.js';
import { createWandbClient } from '../src/product/wandb/client.js';
import { createRun, finishRun } from '../src/product/wandb/run-writer.js';
import { createRandom } from '../src/world/seed/random.js';
import { API_KEY, generateFleet, MAIN, ROOT, startServer, stats } from './job-bench.js';
import { measureNode } from './measure.js';

/** History before the fleet's last day, in days; about 3,050 rows a day (92 k a month, 1.1 M a year). */
const AGES = { month: 30, year: 365, threeYears: 1095 } as const;
const ROWS_PER_DAY = 3050;
const RUN_DAYS = 4;
const TARGETS = { wallRatio: 1.25, jobRssMb: 1024, checkRssMb: 400, dailySeconds: 45 };

export async function benchAged(): Promise<Record<string, unknown>> {
  const dir = join(ROOT, 'bench', 'out', 'aged');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const { fleetFile, configFile, config, manifest } = await generateFleet(dir, 'large', 30, 'default');
  const last = manifest.endDate;
  const results: Record<string, Record<string, unknown>> = {};
  // BENCH_AGES=month,year runs some of them (the targets are then judged on those alone).
  const only = process.env.BENCH_AGES?.split(',');
  for (const [age, days] of Object.entries(AGES).filter(([a]) => !only || only.includes(a))) {
    const ageDir = join(dir, age);
    await mkdir(ageDir, { recursive: true });
    const server = await startServer(fleetFile, ageDir);
    try {
      const history = await writeHistory(server.url, config, addDays(last, -days), last);
      const before = await stats(server.url);
      const env = {
        WANDB_BASE_URL: server.url,
        WANDB_API_KEY: API_KEY,
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
      };
      const job = await measureNode(
        [MAIN, 'run', '--config', configFile, '--start-date', last, '--end-date', last],
        env,
      );
      if (job.code !== 0) throw new Error(`bench aged: ${age} run exited ${job.code}`);
      const after = await stats(server.url);
      const datasetUploaded = await newDatasetBytes(server.url, config);
      const check = await measureNode([MAIN, 'check', '--config', configFile, '--date', last, '--json'], {
        ...env,
        // No CloudWatch here: the log check fails at once and is reported as a finding.
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        AWS_REGION: 'us-east-1',
        AWS_MAX_ATTEMPTS: '1',
      });
      if (!check.stdout.includes('"findings"')) throw new Error(`bench aged: ${age} check printed no report`);
      await writeFile(join(ageDir, 'check-report.json'), check.stdout);
      const uploaded =
        (after.bytesReceivedByOperation.upload ?? 0) - (before.bytesReceivedByOperation.upload ?? 0);
      results[age] = {
        historyRows: history.rows,
        historyMonths: history.months,
        historyMb: +(history.bytes / 2 ** 20).toFixed(1),
        requests: after.totalRequests - before.totalRequests,
        wallSeconds: +(job.wallMs / 1000).toFixed(1),
        peakRssMb: Math.round(job.maxRssMb),
        uploadedMb: +(uploaded / 2 ** 20).toFixed(2),
        datasetUploadedMb: +(datasetUploaded / 2 ** 20).toFixed(2),
        servedMb: Math.round((after.bytesServed - before.bytesServed) / 2 ** 20),
        check: { wallSeconds: +(check.wallMs / 1000).toFixed(1), peakRssMb: Math.round(check.maxRssMb) },
      };
      process.stderr.write(`aged ${age}: ${JSON.stringify(results[age])}\n`);
    } finally {
      server.child.kill('SIGTERM');
    }
  }
  const month = results.month ?? Object.values(results)[0]!;
  const ages = Object.values(results);
  const wall = (r: Record<string, unknown>) => r.wallSeconds as number;
  const rss = (r: Record<string, unknown>) => r.peakRssMb as number;
  const checkRss = (r: Record<string, unknown>) => (r.check as { peakRssMb: number }).peakRssMb;
  const summary = {
    fleet: { size: 'large', endDate: last, teams: config.companies.flatMap((c) => c.teams).length },
    ages: results,
    targets: {
      wallWithinRatioOfMonth: ages.every((r) => wall(r) <= TARGETS.wallRatio * wall(month)),
      // Over the ages measured (BENCH_AGES may leave the year out).
      dailyAtMost45sWithMonthAndYear: [month, results.year]
        .filter((r) => r !== undefined)
        .every((r) => wall(r) <= TARGETS.dailySeconds),
      jobRssAtMost1GB: ages.every((r) => rss(r) <= TARGETS.jobRssMb),
      checkRssAtMost400MB: ages.every((r) => checkRss(r) <= TARGETS.checkRssMb),
      // The figures that set infra/lib/task-sizes.ts: the largest peak of each task, with HEADROOM.
      jobTaskMemory: {
        limitMib: TASK_MEMORY_MIB.job,
        peakMb: Math.max(...ages.map(rss)),
        met: TASK_MEMORY_MIB.job >= HEADROOM * Math.max(...ages.map(rss)),
      },
      checkTaskMemory: {
        limitMib: TASK_MEMORY_MIB.check,
        peakMb: Math.max(...ages.map(checkRss)),
        met: TASK_MEMORY_MIB.check >= HEADROOM * Math.max(...ages.map(checkRss)),
      },
    },
  };
  return summary;
}

/** Bytes of the files the latest dataset version added (its other entries were born in earlier versions). */
async function newDatasetBytes(url: string, config: Config): Promise<number> {
  const wandb = createWandbClient({ baseUrl: url, apiKey: API_KEY });
  const target = datasetTarget(config);
  const latest = await openArtifact(wandb, {
    entity: target.entity,
    project: target.project,
    name: `${target.name}:latest`,
  });
  const born =
    latest?.entries.filter(
      (e) => e.birthArtifactID === undefined || e.birthArtifactID === latest.version.id,
    ) ?? [];
  return born.reduce((n, e) => n + (e.size ?? 0), 0);
}

/**
 * The dataset's history from `from` up to the day before `end`, written as the job writes it: one version
 * per month (oldest first), each adding its month file and sums file and keeping the others' entries.
 */
async function writeHistory(url: string, config: Config, from: IsoDate, end: IsoDate) {
  const wandb = createWandbClient({ baseUrl: url, apiKey: API_KEY });
  const target = datasetTarget(config);
  const runId = 'bench-history';
  await createRun(wandb, {
    entity: target.entity,
    project: target.project,
    runId,
    displayName: 'Update_history',
    jobType: DATASET_JOB_TYPE,
    tags: [],
  });
  const teams = config.companies.flatMap((c) => c.teams);
  const isIgnored = ignoreTagMatcher(config.ignore_tags);
  const ignoreTags = ignoreTagsKey(config.ignore_tags);
  let kept: ManifestEntry[] = [];
  let rows = 0;
  let bytes = 0;
  let months = 0;
  for (const [month, monthRows] of syntheticRows(teams, from, end)) {
    months++;
    monthRows.sort(compareDatasetOrder);
    const body = csvText([], monthRows);
    const sums = createMonthSumsBuilder(month, isIgnored);
    for (const row of monthRows) sums.add(row);
    const sumsBody = encodeMonthSums(sums.finish(), { digest: md5Base64(body), ignoreTags, extras: [] });
    await writeArtifact(wandb, {
      entity: target.entity,
      project: target.project,
      runId,
      name: target.name,
      type: 'dataset',
      files: [
        { name: monthFilePath(target, month), body },
        { name: sumsFilePath(target, month), body: sumsBody },
      ],
      reused: kept,
    });
    const opened = await openArtifact(wandb, {
      entity: target.entity,
      project: target.project,
      name: `${target.name}:latest`,
    });
    kept = [...(opened?.entries ?? [])];
    rows += monthRows.length;
    bytes += Buffer.byteLength(body);
  }
  await finishRun(wandb, { entity: target.entity, project: target.project, run: runId }, 0);
  return { rows, months, bytes };
}

/**
 * Run-day rows over [from, end): runs of RUN_DAYS consecutive days (so some cross a month), spread over the
 * teams, 10 % without metrics, 5 % ignore-tagged; a month at a time, ascending, once no later day can add
 * to it. Seeded: every run is the same.
 */
function* syntheticRows(
  teams: readonly string[],
  from: IsoDate,
  end: IsoDate,
): Generator<[string, RunDay[]]> {
  const { next } = createRandom(42);
  const months = new Map<string, RunDay[]>();
  let run = 0;
  for (let day = from; day < end; day = addDays(day, 1)) {
    // Runs start on this day or later: the months before this day's are complete.
    for (const month of [...months.keys()]) {
      if (month < day.slice(0, 7)) {
        yield [month, months.get(month)!];
        months.delete(month);
      }
    }
    // Each day starts ROWS_PER_DAY / RUN_DAYS runs; with the runs of the days before, about ROWS_PER_DAY rows a day.
    for (let i = 0; i < ROWS_PER_DAY / RUN_DAYS; i++, run++) {
      const team = teams[run % teams.length]!;
      const hasMetrics = next() > 0.1;
      const ignored = next() > 0.95;
      const gpus = 8 * (1 + (run % 4));
      for (let d = 0; d < RUN_DAYS; d++) {
        const date = addDays(day, d);
        if (date >= end) break;
        const util = hasMetrics ? Math.round(next() * 10000) / 100 : null;
        const row: RunDay = {
          date,
          company_name: team,
          project: `proj-${run % 13}`,
          run_id: `run${run.toString(36)}`,
          tags: ignored ? ['other_gpu'] : [],
          created_at: `${day}T01:00:00.000000`,
          updated_at: `${addDays(day, RUN_DAYS - 1)}T23:00:00.000000`,
          state: 'finished',
          duration_hour: Math.round(next() * 240000) / 10000,
          gpu_count: gpus,
          average_gpu_utilization: util,
          average_gpu_memory: util === null ? null : Math.round(next() * 6000) / 100,
          max_gpu_utilization: util === null ? null : 100,
          max_gpu_memory: util === null ? null : 80,
          // Each team's runs take its 64 nodes in turn: a node's next run starts after this one ended.
          host_name: `${team}-node-${Math.floor(run / teams.length) % 64}`,
          logged_at: `${addDays(date, 1)}T00:15:00.000000`,
          cpu_count: 96,
          username: `user-${run % 5}`,
          extra: {},
        };
        const month = date.slice(0, 7);
        const list = months.get(month);
        if (list) list.push(row);
        else months.set(month, [row]);
      }
    }
  }
  for (const month of [...months.keys()].sort()) yield [month, months.get(month)!];
}
