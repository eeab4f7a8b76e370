// The README is the reference: every config key the schema accepts and every flag of every command
// must appear in it.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { COMMANDS as PRODUCT_COMMANDS } from '../src/product/cli/commands.js';
import { configSchema } from '../src/product/config/schema.js';
import { systemClock } from '../src/product/shared/clock.js';
import { WORLD_COMMANDS } from '../src/world/cli/commands.js';
import { runCliCaptured } from './helpers/run-cli.js';

const COMMANDS = [...PRODUCT_COMMANDS, ...WORLD_COMMANDS];

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

type Def = {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  in?: z.ZodType;
};
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Dotted paths of every key the schema accepts (`companies[].schedule[].date`). */
function configPaths(schema: z.ZodType, prefix = ''): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'default':
    case 'optional':
    case 'nullable':
    case 'prefault':
      return configPaths(def.innerType!, prefix);
    case 'pipe':
      return configPaths(def.in!, prefix);
    case 'array':
      return configPaths(def.element!, `${prefix}[]`);
    case 'union':
      return [...new Set(def.options!.flatMap((o) => configPaths(o, prefix)))];
    case 'object':
      return Object.entries(def.shape!).flatMap(([key, value]) => {
        const path = prefix ? `${prefix}.${key}` : key;
        return [path, ...configPaths(value, path)];
      });
    default:
      return [];
  }
}

/** The README section of one command: from its `### gpu-dashboard <name>` heading to the next heading. */
function commandSection(name: string): string {
  const start = README.indexOf(`### \`gpu-dashboard ${name}`);
  if (start < 0) return '';
  const next = README.indexOf('\n#', start + 1);
  return README.slice(start, next < 0 ? undefined : next);
}

describe('README reference', () => {
  const paths = configPaths(configSchema as unknown as z.ZodType);

  it('walks the whole schema (sanity: nested and union keys are found)', () => {
    expect(paths).toEqual(
      expect.arrayContaining([
        'timezone',
        'dashboard.tag_for_latest',
        'companies[].schedule[].date',
        'companies[].gpu_count[].nodes.name_regex',
      ]),
    );
  });

  it.each(paths)('documents the config key `%s`', (path) => {
    expect(README).toContain(`\`${path}\``);
  });

  const program = new Command();
  for (const add of COMMANDS)
    add(
      program,
      {
        stdout: process.stdout,
        stderr: process.stderr,
        env: {},
        clock: systemClock,
        isTty: false,
        cwd: '.',
      },
      () => {},
    );
  const flags = program.commands.flatMap((command) =>
    command.options.map((option) => [command.name(), option.long ?? option.flags] as const),
  );

  it('finds every command', () => {
    expect(program.commands.map((c) => c.name())).toEqual(
      expect.arrayContaining(['run', 'check', 'tables', 'local-server', 'generate-fleet']),
    );
  });

  it.each(flags)('documents `%s %s` in its command section', (name, flag) => {
    expect(commandSection(name)).toContain(`\`${flag}`);
  });

  it('every command in the README exists (no stale sections)', async () => {
    const documented = [...README.matchAll(/^### `gpu-dashboard ([a-z-]+)/gm)].map((m) => m[1]!);
    expect(documented.sort()).toEqual(program.commands.map((c) => c.name()).sort());
    expect((await runCliCaptured(['--help'])).code).toBe(0);
  });
});
