import { Command, CommanderError, Option } from 'commander';
import { CliError } from './cli-error.js';
import { configCommand } from './config.js';
import { dbCommand } from './db.js';
import { DEFAULT_URL } from './http.js';
import { keysCommand } from './keys.js';
import { modelsCommand } from './models.js';
import { secondsArg } from './options.js';
import { promptsCommand } from './prompts.js';
import { requestsCommand } from './requests.js';
import { teamsCommand } from './teams.js';
import { usageCommand } from './usage.js';

/**
 * The `tollgate` program (./main.ts runs it): the admin API from a terminal (teams, keys, usage,
 * prompts, models, live requests) and an offline config check. It talks HTTP only: no gateway
 * code is loaded (a fast start), except the config modules for `config check`. Errors are one
 * line on stderr and exit 1.
 */
export function buildProgram(): Command {
  const program = new Command('tollgate')
    .description('Manage a tollgate AI gateway through its admin API, and check config files.')
    .addOption(new Option('--url <url>', `the gateway's base URL (default: ${DEFAULT_URL})`).env('TOLLGATE_URL'))
    .addOption(new Option('--admin-key <key>', 'the admin key (prefer the environment variable: a flag is visible in the process list)').env('TOLLGATE_ADMIN_KEY'))
    .option('--timeout <seconds>', 'give up on a request after this long', secondsArg, 30)
    .showHelpAfterError('(run with --help for usage)')
    // commander's own messages quote what was typed (an unknown command, a bad argument): never the admin key.
    .configureOutput({ outputError: (text, out) => out(scrubKey(text)) })
    .addHelpText(
      'after',
      '\nEnvironment:\n  TOLLGATE_URL         the gateway URL (--url wins)\n  TOLLGATE_ADMIN_KEY   the admin key (--admin-key wins); never printed\n\nExamples:\n  $ export TOLLGATE_ADMIN_KEY=…\n  $ tollgate teams create search --budget-usd 25\n  $ tollgate keys create --team search\n  $ tollgate usage --group-by team --from 2026-12-01\n  $ tollgate config check tollgate.yaml\n\nEach command has its own --help, e.g. tollgate usage --help.',
    );
  teamsCommand(program);
  keysCommand(program);
  usageCommand(program);
  promptsCommand(program);
  modelsCommand(program);
  requestsCommand(program);
  configCommand(program);
  dbCommand(program);
  // Every command, nested ones included: an error exits through run() below (no process.exit in the middle of output).
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const c of all(program)) c.exitOverride();
  return program;
}

/** The admin key, wherever it was given (environment or argument), cut out of a text about to be printed. */
function scrubKey(text: string): string {
  const argv = process.argv;
  const i = argv.indexOf('--admin-key');
  const keys = [process.env.TOLLGATE_ADMIN_KEY, i >= 0 ? argv[i + 1] : undefined, argv.find((a) => a.startsWith('--admin-key='))?.slice('--admin-key='.length)];
  for (const k of keys) if (k && k.length >= 4) text = text.split(k).join('[redacted]');
  return text;
}

export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // commander already printed its own errors (unknown option, missing argument) and the help.
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      process.stderr.write(`tollgate: ${scrubKey(err.message)}\n`);
      return 1;
    }
    // A bug, not a user error: still one line (a stack trace is noise to a user; TOLLGATE_DEBUG=1 shows it).
    process.stderr.write(`tollgate: ${scrubKey(String(process.env.TOLLGATE_DEBUG ? ((err as Error).stack ?? err) : ((err as Error).message ?? err)))}\n`);
    return 1;
  }
}
