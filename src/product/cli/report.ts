import { CONFIG_HELP, DEFAULT_REPORT_OUT } from './options.js';
import type { AddCommand } from './program.js';
import type { ReportFlags } from './report-action.js';

/** `report`: the dashboard page of what is published, from any W&B server, without running the job. */
export const addReportCommand: AddCommand = (program, io, finish) => {
  program
    .command('report')
    .description('write the dashboard page of what is published (the runs holding latest, or one date)')
    .option('--config <file>', CONFIG_HELP)
    .option('--date <YYYY-MM-DD>', 'the Tables_<T> runs of this date (default: the runs holding latest)')
    .option('--out <file>', `the HTML page to write (default: ${DEFAULT_REPORT_OUT})`)
    .option('--publish', 'also create or update the W&B Report in the dashboard project')
    .option('--api <key>', 'W&B API key (default: $WANDB_API_KEY); never logged')
    .option('--verbose', 'debug logging')
    .addHelpText(
      'after',
      '\nExamples:\n  gpu-dashboard report --out dashboard.html\n  gpu-dashboard report --date 2025-01-31 --publish',
    )
    .action(async (flags: ReportFlags) => {
      const { reportCommand } = await import('./report-action.js');
      finish(await reportCommand(flags, io));
    });
};
