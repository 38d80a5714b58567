import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { describeError } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { defaultDbPath, type GlobalFlags, refuseKeyInArgv } from './config.js';
import { ExitCode } from './exit-codes.js';
import type { CliRecipe, RecipeLoader } from './input/recipe-source.js';
import type { CliIo } from './output/io.js';

/** What the CLI core needs: the built-in recipes (the bin passes this package's), and optionally the streams. */
export interface CliOptions {
  recipes: RecipeLoader;
  io?: CliIo;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function helpFooter(): string {
  return `
Configuration:
  --db FILE|URL / FORNEX_FLOW_DB the runs database: a SQLite file, or postgres://user:pass@host/db[?schema=name]
                                 (default: ${defaultDbPath()})
  --base-url / FORNEX_BASE_URL   the API (default https://fornex.com)
  FORNEX_API_KEY / --api-key-file FILE
                                 the API key; never on the command line (--api-key is refused)
  FORNEX_FLOW_SECRET_KEY         32 bytes in base64 encrypting secrets at rest; without it a key
                                 file <db>.secret-key is created beside the database (mode 0600)
  --recipes MODULE / FORNEX_FLOW_RECIPES
                                 add the recipes a module exports (comma-separated in the variable)

Output: live progress on a terminal, plain lines when piped, NDJSON events with --json.
Exit codes: 0 done, 1 run failed, 2 bad usage or input, 3 interrupted or left waiting for a worker.
Docs: docs/cli.md`;
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

/** Runs `fornex-flow` with these arguments; resolves to the exit code (it never calls process.exit). */
export async function runCli(argv: readonly string[], options: CliOptions): Promise<number> {
  const io: CliIo = options.io ?? { stdout: process.stdout, stderr: process.stderr, env: process.env };
  const warn = (line: string) => io.stderr.write(`${line}\n`);
  let exitCode: number = ExitCode.Done;
  let recipesLoaded: Promise<CliRecipe[]> | undefined;

  const program = new Command('fornex-flow')
    .description('Runs Fornex recipes durably: rotate SSH keys, reset a root password, migrate DNS, reboot safely.')
    .version(version(), '-V, --version')
    .option('--db <file>', 'the runs database (env FORNEX_FLOW_DB)')
    .option('--base-url <url>', 'the Fornex API base URL (env FORNEX_BASE_URL)')
    .option('--api-key-file <file>', 'read the API key from this file (else env FORNEX_API_KEY)')
    .option('--json', 'NDJSON events on stdout, nothing else')
    .option('--recipes <module>', 'also load the recipes this module exports (repeatable)', collect)
    .addHelpText('after', helpFooter())
    .showHelpAfterError('(fornex-flow --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`fornex-flow: ${s.replace(/^error: /, '')}`),
    });

  const context = (command: Command): CommandContext => {
    const flags = command.optsWithGlobals() as GlobalFlags;
    return {
      io,
      flags,
      warn,
      recipes: () => {
        recipesLoaded ??= import('./input/recipe-source.js').then((m) =>
          m.loadRecipes(options.recipes, flags.recipes ?? [], io.env),
        );
        return recipesLoaded;
      },
    };
  };
  // Every command loads its module on use: `--help` and `recipes` never load the engine or SQLite.
  const action =
    <A extends unknown[]>(run: (ctx: CommandContext, ...args: A) => Promise<number>) =>
    async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      exitCode = await run(context(command), ...(args.slice(0, -1) as A));
    };

  program
    .command('recipes')
    .description('list the recipes and their input fields')
    .action(action(async (ctx) => (await import('./commands/recipes.js')).recipesCommand(ctx)));
  program
    .command('run')
    .description('run a recipe; on a terminal until it ends, else up to --wait')
    .argument('<recipe>', 'recipe id (see `fornex-flow recipes`)')
    .option('--input <json|@file>', 'the input as JSON, or @file (@- for stdin)')
    .option('--set <key=value>', 'set one input field (repeatable; dotted keys reach into objects)', collect)
    .option(
      '--wait <ms>',
      'leave the run to a worker after this long (default: forever on a terminal, 300000 when piped)',
    )
    .option('--dry-run', 'read what the recipe needs and print its plan; change nothing')
    .action(
      action(async (ctx, recipe: string, flags) =>
        (await import('./commands/run.js')).runCommand(ctx, recipe, flags as never),
      ),
    );
  program
    .command('resume')
    .description('continue a stored run, or every run that can be taken (--all)')
    .argument('[runId]', 'run id (or a unique prefix of 6+ characters)')
    .option('--all', 'every active run whose owner is gone or whose lease expired')
    .option('--wait <ms>', 'as for run')
    .action(
      action(async (ctx, runId: string | undefined, flags) =>
        (await import('./commands/resume.js')).resumeCommand(ctx, runId, flags as never),
      ),
    );
  program
    .command('runs')
    .description('list stored runs, newest first')
    .addOption(
      new Option('--status <status>', 'only runs with this status').choices([
        'running',
        'waiting',
        'completed',
        'failed',
        'cancelled',
      ]),
    )
    .option('--children', 'also list child runs of fan-outs')
    .action(action(async (ctx, flags) => (await import('./commands/runs.js')).runsCommand(ctx, flags as never)));
  program
    .command('show')
    .description("a run's timeline: events, steps, attempts, durations, child runs")
    .argument('<runId>', 'run id (or a unique prefix of 6+ characters)')
    .action(action(async (ctx, runId: string) => (await import('./commands/show.js')).showCommand(ctx, runId)));
  program
    .command('cancel')
    .description('cancel an active run, whichever process drives it')
    .argument('<runId>', 'run id (or a unique prefix of 6+ characters)')
    .action(action(async (ctx, runId: string) => (await import('./commands/cancel.js')).cancelCommand(ctx, runId)));
  program
    .command('worker')
    .description('resume runs as they become free, fire their timers; stops cleanly on SIGTERM/SIGINT')
    .option('--poll-ms <ms>', 'how often to look for runs to take (default 1000)')
    .action(action(async (ctx, flags) => (await import('./commands/worker.js')).workerCommand(ctx, flags as never)));
  program
    .command('serve')
    .description('the worker plus the runs dashboard and its HTTP API (docs/dashboard.md)')
    .option('--host <address>', 'address to listen on (default 127.0.0.1; others need a token)')
    .option('--port <n>', 'port to listen on (default 0: a free one; the URL is printed first)')
    .option('--token <token>', 'require this token on every route (prefer env FORNEX_FLOW_TOKEN)')
    .option('--poll-ms <ms>', 'as for worker')
    .action(action(async (ctx, flags) => (await import('./commands/serve.js')).serveCommand(ctx, flags as never)));
  const schedule = program
    .command('schedule')
    .description('cron schedules that start runs (a worker or serve fires them)');
  schedule
    .command('add')
    .description('start a recipe on a cron schedule')
    .argument('<recipe>', 'recipe id')
    .requiredOption('--cron <expr>', 'cron expression: 5 fields, or 6 with seconds first')
    .option('--tz <zone>', 'IANA time zone of the expression (default UTC)')
    .option('--input <json|@file>', 'the input as JSON, or @file')
    .option('--set <key=value>', 'set one input field (repeatable)', collect)
    .action(
      action(async (ctx, recipe: string, flags) =>
        (await import('./commands/schedule.js')).scheduleAddCommand(ctx, recipe, flags as never),
      ),
    );
  schedule
    .command('list')
    .description('the schedules, with their next tick')
    .action(action(async (ctx) => (await import('./commands/schedule.js')).scheduleListCommand(ctx)));
  schedule
    .command('remove')
    .description('remove a schedule')
    .argument('<id>', 'schedule id (see schedule list)')
    .action(action(async (ctx, id: string) => (await import('./commands/schedule.js')).scheduleRemoveCommand(ctx, id)));
  program
    .command('mock')
    .description('start fornex-mock, the mock Fornex API (flags as `fornex-flow mock --help`)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[flags...]')
    .action(action(async (ctx, flags: string[]) => (await import('./commands/mock.js')).mockCommand(ctx, flags ?? [])));
  program
    .command('demo')
    .description('run every recipe against an in-process mock and a temporary database')
    .option('--scale <n>', 'generated VPS orders and domains in the mock world (default 12)')
    .action(action(async (ctx, flags) => (await import('./commands/demo.js')).demoCommand(ctx, flags as never)));

  try {
    refuseKeyInArgv(argv);
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok =
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help';
      return ok ? ExitCode.Done : ExitCode.Usage;
    }
    const { exitCode: code, message } = describeError(error);
    warn(`fornex-flow: ${message}`);
    if (io.env.FORNEX_FLOW_DEBUG) warn(String((error as Error)?.stack ?? ''));
    return code;
  }
}
