import type { AddCommand } from './program.js';

/** Every subcommand of the gpu-dashboard binary, in the order --help lists them. */
export const COMMANDS: readonly AddCommand[] = [];
