import { addCheckCommand } from './check.js';
import { addDemoCommand } from './demo.js';
import { addGenerateFleetCommand } from './generate-fleet.js';
import { addLocalServerCommand } from './local-server.js';
import type { AddCommand } from './program.js';
import { addReportCommand } from './report.js';
import { addRunCommand } from './run.js';
import { addTablesCommand } from './tables.js';

/** Every subcommand of the gpu-dashboard binary, in the order --help lists them. */
export const COMMANDS: readonly AddCommand[] = [
  addRunCommand,
  addCheckCommand,
  addReportCommand,
  addLocalServerCommand,
  addTablesCommand,
  addGenerateFleetCommand,
  addDemoCommand,
];
