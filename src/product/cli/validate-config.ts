import type { AddCommand } from './program.js';

/** `validate-config`: check a config file or S3 object before deploying it (exit 0, or 2 naming each problem). */
export const addValidateConfigCommand: AddCommand = (program, io, finish) => {
  program
    .command('validate-config')
    .description(
      'check a config (file or s3://bucket/key) the way the job would load it: exit 0, or 2 naming each problem',
    )
    .requiredOption('--config <file>', 'config file or s3://bucket/key')
    .addHelpText(
      'after',
      '\nExamples:\n  gpu-dashboard validate-config --config config.yaml\n  gpu-dashboard validate-config --config s3://my-bucket/gpu-dashboard/config.yaml',
    )
    .action(async (options: { config: string }) => {
      const { validateConfigCommand } = await import('./validate-config-action.js');
      finish(await validateConfigCommand(options, io));
    });
};
