import { HELP_HINT } from './help.js';

/** Where every command writes, the exit codes they return, and the messages they share. */

export type CliIo = {
  /** Writes one line of output (without its newline). */
  out: (s: string) => void;
  /** Writes one line of an error or a note (without its newline). */
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** The terminal width; 80 when not given. */
  columns?: number;
  /** True when the output goes to a terminal: only then are names printed in bold (unless NO_COLOR is set). */
  isTTY?: boolean;
};

/** Exit codes: 0 all good, 1 a problem with the frameworks or what was asked for, 2 a usage mistake. */
export const OK = 0;
export const PROBLEM = 1;
export const USAGE = 2;

/** Prints a help text, line by line, on the output. */
export function printHelp(io: CliIo, text: string): number {
  for (const line of text.split('\n')) io.out(line);
  return OK;
}

/** A usage mistake: the message and where to read the usage, on stderr; exit 2. */
export function usageError(io: CliIo, message: string): number {
  io.err(message);
  io.err(HELP_HINT);
  return USAGE;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
