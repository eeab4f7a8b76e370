import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { Option } from 'commander';
import { stringify } from 'yaml';
import {
  type AddCommand,
  CONFIG_HELP,
  checkOutFile,
  EXIT,
  loadConfigFor,
  parseDateFlag,
  parseIntegerFlag,
} from '../../product/cli/kit.js';
import { configWithCompanies } from '../fleet/companies.js';
import { planFleet } from '../fleet/generate.js';
import {
  FLEET_PROFILES,
  FLEET_SIZES,
  type FleetProfile,
  type FleetSize,
  SIZE_PRESETS,
} from '../fleet/sizes.js';
import { writeSeed } from '../fleet/write-seed.js';
import { seedFromText } from '../seed/random.js';

type GenerateFleetOptions = {
  size: FleetSize;
  profile: FleetProfile;
  config?: string;
  days?: string;
  endDate?: string;
  seed: string;
  out: string;
  inlineMetrics?: boolean;
  manifestOut?: string;
  configOut?: string;
};

/** `generate-fleet`: a deterministic synthetic W&B fleet as a seed file for `local-server --seed`. */
export const addGenerateFleetCommand: AddCommand = (program, io, finish) => {
  program
    .command('generate-fleet')
    .description(
      'write a synthetic, deterministic fleet of W&B teams, projects and runs as a local-server seed file',
    )
    .addOption(new Option('--size <size>', 'fleet size').choices(FLEET_SIZES).makeOptionMandatory())
    .addOption(
      new Option(
        '--profile <profile>',
        'what to plant: default (every problem the product must handle) or healthy (only duplicate-init groups; every company steadily 45-65 % busy)',
      )
        .choices(FLEET_PROFILES)
        .default('default'),
    )
    .option('--config <file>', CONFIG_HELP)
    .option('--days <n>', 'days of runs, ending on --end-date (default: 14 for small, 180 otherwise)')
    .option(
      '--end-date <YYYY-MM-DD>',
      'last local date with runs (default: the day before the earliest allocation end)',
    )
    .option('--seed <seed>', 'random seed; the same seed gives a byte-identical file', '1')
    .requiredOption('--out <file>', 'seed file to write (JSON)')
    .option('--inline-metrics', 'inline every metrics row (default for small with the default profile)')
    .option(
      '--no-inline-metrics',
      'write systemMetricsPattern instead of rows (default for geniac, large and the healthy profile)',
    )
    .option('--manifest-out <file>', 'write what was planted (duplicate groups, no-GPU runs, ...) as JSON')
    .option(
      '--config-out <file>',
      'write the config including synthesised companies (needed when the fleet has more companies than the config)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  gpu-dashboard generate-fleet --size small --seed 7 --out fleet.json --manifest-out manifest.json' +
        '\n  gpu-dashboard generate-fleet --size small --profile healthy --end-date 2025-04-20 --out healthy.json',
    )
    .action(async (options: GenerateFleetOptions) => {
      const started = io.clock.now().getTime();
      const path = await checkOutFile(options.out, '--out', io);
      const manifestOut =
        options.manifestOut === undefined
          ? undefined
          : await checkOutFile(options.manifestOut, '--manifest-out', io);
      const configOut =
        options.configOut === undefined
          ? undefined
          : await checkOutFile(options.configOut, '--config-out', io);
      const { config } = await loadConfigFor(options.config, io);
      const days = options.days === undefined ? undefined : parseDays(options.days);
      const endDate =
        options.endDate === undefined ? undefined : parseDateFlag(options.endDate, '--end-date');
      const fleet = planFleet(config, {
        size: options.size,
        seed: seedFromText(options.seed),
        days,
        endDate,
        profile: options.profile,
      });
      // A healthy fleet keeps every allocated node half busy: far too many samples to inline.
      const inline =
        options.inlineMetrics ?? (options.profile === 'default' && SIZE_PRESETS[options.size].inlineMetrics);

      const out = createWriteStream(path);
      const result = await writeSeed(fleet, out, inline);
      out.end();
      await finished(out);
      if (manifestOut !== undefined) {
        await writeFile(manifestOut, `${JSON.stringify(result.manifest, null, 2)}\n`);
      }
      if (configOut !== undefined) {
        const text = stringify(configWithCompanies(config, fleet.synthesized));
        await writeFile(configOut, text);
      } else if (fleet.synthesized.length > 0) {
        io.stderr.write(
          `${JSON.stringify({ event: 'fleet.warning', message: `${fleet.synthesized.length} synthesised companies are not in the config; pass --config-out to write a config that has them` })}\n`,
        );
      }
      io.stderr.write(
        `${JSON.stringify({
          event: 'fleet.generated',
          size: options.size,
          profile: fleet.profile,
          seed: fleet.seed,
          start_date: fleet.startDate,
          end_date: fleet.endDate,
          ...result.manifest.counts,
          inline_metrics: inline,
          bytes: result.bytes,
          ms: io.clock.now().getTime() - started,
          out: path,
        })}\n`,
      );
      finish(EXIT.ok);
    });
};

function parseDays(text: string): number {
  return parseIntegerFlag(text, '--days', {
    min: 1,
    max: 3660,
    message: (value) => `--days: "${value}" is not a whole number of days between 1 and 3660`,
  });
}
