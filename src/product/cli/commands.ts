import { addCheckCommand } from './check.js';
import type { AddCommand } from './program.js';
import { addReportCommand } from './report.js';
import { addRunCommand } from './run.js';
import { addStatementCommand } from './statement.js';
import { addTablesCommand } from './tables.js';
import { addValidateConfigCommand } from './validate-config.js';

/** The product's subcommands, in the order --help lists them. */
export const COMMANDS: readonly AddCommand[] = [
  addRunCommand,
  addCheckCommand,
  addReportCommand,
  addStatementCommand,
  addValidateConfigCommand,
  addTablesCommand,
];
