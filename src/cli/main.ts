import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { editDistance } from '../frameworks/text-match.js';
import { type Parsed, parseArgs, UsageError } from './args.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { list } from './commands/list.js';
import { migrate } from './commands/migrate.js';
import { rotateTokenKey } from './commands/rotate-token-key.js';
import { show } from './commands/show.js';
import { validate } from './commands/validate.js';
import { COMMAND_HELP, COMMANDS, GENERAL_HELP, isCommand } from './help.js';
import { type CliIo, errorText, OK, PROBLEM, printHelp, usageError } from './io.js';
import { loadCatalog } from './load-catalog.js';
import { CLI_NAME, DEFAULT_WIDTH, type Style } from './render.js';

/**
 * `competency`: the command line for framework authors and for whoever runs the app. Lists the
 * frameworks, shows one at a level the way the Slack app does (as text for a terminal), validates
 * framework files, imports them from tables and saved pages and exports them as tables, moves the
 * ratings from the file store to PostgreSQL, and encrypts stored Slack tokens again with a new key.
 *
 * This module reads the command line and hands it to the command: the help texts are in help.ts, the
 * options in args.ts, each command in commands/.
 */

/**
 * Runs the command line with these arguments (without `node` and the script) and returns the exit code.
 * Never throws: every problem becomes a plain message on `err`.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    io.err(`Something went wrong: ${errorText(error)}`);
    return PROBLEM;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return usageError(io, error.message);
    throw error;
  }
  const { command, args } = parsed;

  if (parsed.help || command === 'help') {
    const topic = command === 'help' ? args[0] : command;
    if (topic === undefined) return printHelp(io, GENERAL_HELP);
    if (isCommand(topic)) return printHelp(io, COMMAND_HELP[topic]);
    return unknownCommand(io, topic, []);
  }
  if (parsed.version) {
    io.out(await packageVersion());
    return OK;
  }
  if (command === undefined) {
    return usageError(
      io,
      `Which command? Try \`${CLI_NAME} list\`, \`${CLI_NAME} show <role> <level>\` or \`${CLI_NAME} validate\`.`,
    );
  }

  const style: Style = {
    width: io.columns !== undefined && io.columns > 0 ? io.columns : DEFAULT_WIDTH,
    color: useColor(io, parsed.noColor),
  };
  switch (command) {
    case 'list':
      return list(io, parsed, style);
    case 'show':
      return show(io, parsed, style);
    case 'validate':
      return validate(io, parsed);
    case 'import':
      return importCommand(io, parsed);
    case 'export':
      return exportCommand(io, parsed);
    case 'migrate':
      return migrate(io, parsed);
    case 'rotate-token-key':
      return rotateTokenKey(io, parsed);
    default:
      return unknownCommand(io, command, args, parsed.dirs);
  }
}

/** "Unknown command", with the closest command, or the `show` command when the words name a framework. */
async function unknownCommand(io: CliIo, name: string, args: string[], dirs: string[] = []): Promise<number> {
  const near = COMMANDS.find((c) => editDistance(c, name.toLowerCase(), 2) <= 2);
  if (near) return usageError(io, `Unknown command "${name}". Did you mean \`${CLI_NAME} ${near}\`?`);
  try {
    const found = (await loadCatalog(io, dirs, true)).lookup([name, ...args].join(' '));
    if (found.kind === 'found') {
      const query = [name, ...args].join(' ');
      return usageError(
        io,
        `Unknown command "${name}". To see that framework, run \`${CLI_NAME} show ${query}\`.`,
      );
    }
  } catch {
    // Only a hint: without the frameworks, the plain message below is enough.
  }
  return usageError(io, `Unknown command "${name}".`);
}

/** Bold only for a terminal, and never when NO_COLOR is set (https://no-color.org) or --no-color is given. */
function useColor(io: CliIo, noColor: boolean): boolean {
  const noColorEnv = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  return io.isTTY === true && !noColor && !noColorEnv && io.env.TERM !== 'dumb';
}

async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  const version: unknown = (JSON.parse(text) as { version?: unknown }).version;
  return typeof version === 'string' ? version : 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Running as a program: `tsx src/cli/main.ts …`, or bin/competency.js

/** Runs the command line with this process's arguments, output and environment. */
export async function main(): Promise<void> {
  // `competency show sa sr | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.stderr.write(`Could not write the output: ${error.message}\n`);
    process.exit(error.code === 'EPIPE' ? (process.exitCode ?? 0) : PROBLEM);
  });
  const isTTY = process.stdout.isTTY === true;
  const fromEnv = Number(process.env.COLUMNS);
  const columns = isTTY
    ? process.stdout.columns
    : Number.isInteger(fromEnv) && fromEnv > 0
      ? fromEnv
      : undefined;
  process.exitCode = await runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    env: process.env,
    columns,
    isTTY,
  });
}

const runDirectly =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) await main();
