// The product's public entry point: what code outside the product (the embedded W&B world's demo)
// may use to run the job and read what it published. Everything else under src/product/ is internal.
export { DUPLICATE_INIT_TITLE } from './alert/duplicate-init.js';
export { isLowUtilizationTitle } from './alert/low-utilization.js';
export type { UsageRow } from './calculator/index.js';
export { memoryLogSource } from './checker/cloudwatch-log.js';
export { formatReport } from './checker/format-report.js';
export type { LogEvent } from './checker/job-log.js';
export { runCheck } from './checker/run-check.js';
export type { CheckReport } from './checker/types.js';
export { writeTables } from './cli/write-tables.js';
export { ConfigError, validateConfig } from './config/load.js';
export { type JobOutput, type JobReport, runJob } from './job/run-job.js';
export { readLoggedPage } from './publish/read-published.js';
export { formatNumber } from './report/html.js';
export { writeDatasetFile } from './uploader/dataset-file.js';
export { createWandbClient, type WandbClient } from './wandb/client.js';
