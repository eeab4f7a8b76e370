import { Command, CommanderError } from 'commander';
import { stripControlInLines } from '../shared/inert-text.js';
import { apiKeyFromArgv, createRedactor } from '../shared/redact.js';
import { PRODUCT_VERSION } from '../shared/version.js';
import { EXIT, type ExitCode, exitCodeFor } from './exit.js';
import type { CliIo } from './io.js';

/** Adds one subcommand; its action resolves to the command's exit code through `finish`. */
export type AddCommand = (program: Command, io: CliIo, finish: (code: ExitCode) => void) => void;

/** Parses argv, runs the chosen command and returns its exit code. Never calls process.exit. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly AddCommand[],
): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  // Whatever the command prints, the W&B key given by flag or env never reaches the terminal, nor does
  // the userinfo of a URL (an error may quote one: a --config https://user:pw@… value, an endpoint).
  const redact = createRedactor([apiKeyFromArgv(argv), io.env.WANDB_API_KEY]);
  const errorLine = errorLineWriter(io, redact);
  const program = new Command('gpu-dashboard')
    .description('GPU usage dashboard for W&B-based GPU programmes')
    .version(PRODUCT_VERSION)
    .exitOverride()
    .showHelpAfterError(io.isTty ? '(run with --help for usage)' : false)
    .configureOutput({
      writeOut: (text) => io.stdout.write(redact(text)),
      writeErr: (text) => errorLine('cli.usage', text.trimEnd(), EXIT.usage),
    });
  for (const add of commands)
    add(program, io, (c) => {
      code = c;
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const { code: failure, message } = exitCodeFor(error);
    errorLine('cli.failed', message, failure);
    return failure;
  }
  return code;
}

/**
 * Usage, config and fatal errors on stderr: the message as is on a terminal; off one (ECS, CloudWatch) a
 * JSON line like the logger's, so a metric filter on `$.level = "error"` finds them too.
 */
function errorLineWriter(io: CliIo, redact: (text: string) => string) {
  return (event: string, message: string, exitCode: number): void => {
    // Redacted before JSON escaping too, where a URL's end (a line break) is still itself. A message may
    // quote W&B text or a dataset cell: on a terminal its control characters are dropped.
    const text = redact(message);
    const line = io.isTty
      ? stripControlInLines(text)
      : JSON.stringify({
          time: io.clock.now().toISOString(),
          level: 'error',
          event,
          exit_code: exitCode,
          message: text,
        });
    io.stderr.write(`${redact(line)}\n`);
  };
}
