/** The command line's words as the commands read them: the command, its arguments and the options. */

export type Parsed = {
  command: string | undefined;
  args: string[];
  dirs: string[];
  help: boolean;
  version: boolean;
  noColor: boolean;
  /** migrate: where to (`postgres`). */
  to: string | undefined;
  /** migrate: compare only. */
  check: boolean;
  /** import, export: where to write. */
  out: string | undefined;
  /** import, export: replace existing files. */
  force: boolean;
  /** export: the table format. */
  format: 'csv' | 'tsv' | undefined;
};

/** A mistake in how the command line was written: its message is printed with a pointer to --help (exit 2). */
export class UsageError extends Error {}

/**
 * Splits the words into the command, its arguments and the options, which may come anywhere; after
 * `--` every word is an argument, and `-` alone is one (the output, for `--out -`).
 */
export function parseArgs(argv: readonly string[]): Parsed {
  const parsed: Parsed = {
    command: undefined,
    args: [],
    dirs: [],
    help: false,
    version: false,
    noColor: false,
    to: undefined,
    check: false,
    out: undefined,
    force: false,
    format: undefined,
  };
  const positional: string[] = [];
  let onlyPositional = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (onlyPositional || arg === '-' || !arg.startsWith('-')) {
      positional.push(arg);
    } else if (arg === '--') {
      onlyPositional = true;
    } else if (arg === '-h' || arg === '--help') {
      parsed.help = true;
    } else if (arg === '--version') {
      parsed.version = true;
    } else if (arg === '--no-color') {
      parsed.noColor = true;
    } else if (arg === '--check') {
      parsed.check = true;
    } else if (arg === '--force') {
      parsed.force = true;
    } else if (arg === '--csv' || arg === '--tsv') {
      const format = arg === '--csv' ? 'csv' : 'tsv';
      if (parsed.format !== undefined && parsed.format !== format)
        throw new UsageError('Choose one of --csv and --tsv.');
      parsed.format = format;
    } else if (arg === '--out' || arg.startsWith('--out=')) {
      const value = arg === '--out' ? argv[++i] : arg.slice('--out='.length);
      if (value === undefined || value === '')
        throw new UsageError('--out needs a file or a folder, e.g. --out ./my-frameworks.');
      parsed.out = value;
    } else if (arg === '--to' || arg.startsWith('--to=')) {
      const value = arg === '--to' ? argv[++i] : arg.slice('--to='.length);
      if (value === undefined || value === '')
        throw new UsageError('--to needs a store, e.g. --to postgres.');
      parsed.to = value;
    } else if (arg === '--dir') {
      const value = argv[i + 1];
      if (value === undefined || value === '')
        throw new UsageError('--dir needs a folder, e.g. --dir ./frameworks.');
      parsed.dirs.push(value);
      i++;
    } else if (arg.startsWith('--dir=')) {
      const value = arg.slice('--dir='.length);
      if (value === '') throw new UsageError('--dir needs a folder, e.g. --dir=./frameworks.');
      parsed.dirs.push(value);
    } else {
      throw new UsageError(`Unknown option "${arg}".`);
    }
  }
  parsed.command = positional[0];
  parsed.args = positional.slice(1);
  return parsed;
}
