import type { AddCommand } from '../../product/cli/kit.js';
import { addDemoCommand } from './demo.js';
import { addGenerateFleetCommand } from './generate-fleet.js';
import { addLocalServerCommand } from './local-server.js';

/** The embedded W&B world's subcommands, listed after the product's. */
export const WORLD_COMMANDS: readonly AddCommand[] = [
  addLocalServerCommand,
  addGenerateFleetCommand,
  addDemoCommand,
];
