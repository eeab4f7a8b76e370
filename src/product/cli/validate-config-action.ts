import type { ExitCode } from './exit.js';
import { EXIT } from './exit.js';
import type { CliIo } from './io.js';
import { loadConfigFor } from './options.js';

/** Loads and validates; a bad config throws ConfigError (exit 2) with every issue at its dot path. */
export async function validateConfigCommand(options: { config: string }, io: CliIo): Promise<ExitCode> {
  const { config, source, sha256 } = await loadConfigFor(options.config, io);
  const teams = config.companies.reduce((n, c) => n + c.teams.length, 0);
  io.stdout.write(
    `${source}: valid (${config.companies.length} companies, ${teams} teams, time zone ${config.timezone}; sha256 ${sha256})\n`,
  );
  return EXIT.ok;
}
