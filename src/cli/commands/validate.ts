import { checkFrameworks, foldersToCheck } from '../../frameworks/check.js';
import type { Parsed } from '../args.js';
import { type CliIo, errorText, OK, PROBLEM } from '../io.js';

/** `competency validate [folder or file…]`: checks framework files, one line per framework or problem. */
export async function validate(io: CliIo, parsed: Parsed): Promise<number> {
  const folders = foldersToCheck([...parsed.args, ...parsed.dirs], io.env);
  try {
    return (await checkFrameworks(folders, io.out)) ? OK : PROBLEM;
  } catch (error) {
    io.err(`Could not check the frameworks: ${errorText(error)}`);
    return PROBLEM;
  }
}
