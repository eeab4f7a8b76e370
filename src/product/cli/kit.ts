// The product's public CLI kit: what a subcommand added to the binary from outside the product (the
// embedded W&B world's commands) may use. Nothing here loads a stage.
export { EXIT } from './exit.js';
export {
  CONFIG_HELP,
  loadConfigFor,
  parseDateFlag,
  parseIntegerFlag,
  parseNumberFlag,
} from './options.js';
export { checkOutFile, writeOutputFile } from './out-path.js';
export type { AddCommand } from './program.js';
export { randomRunId } from './wandb-deps.js';
