import { addGenerateFleetCommand } from './generate-fleet.js';
import type { AddCommand } from './program.js';
import { addTablesCommand } from './tables.js';

/** Every subcommand of the gpu-dashboard binary, in the order --help lists them. */
export const COMMANDS: readonly AddCommand[] = [addTablesCommand, addGenerateFleetCommand];
