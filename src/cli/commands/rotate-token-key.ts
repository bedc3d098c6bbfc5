import { loadConfig } from '../../config.js';
import { SealedInstallationStore } from '../../slack/installations.js';
import { openConfiguredStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { TokenCipher } from '../../util/token-cipher.js';
import type { Parsed } from '../args.js';
import { type CliIo, errorText, OK, PROBLEM, USAGE, usageError } from '../io.js';
import { CLI_NAME } from '../render.js';

/**
 * `competency rotate-token-key`: encrypts every stored Slack token again with the current key
 * (SLACK_TOKEN_ENCRYPTION_KEY), reading the old ones with SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS.
 */

export async function rotateTokenKey(io: CliIo, parsed: Parsed): Promise<number> {
  if (parsed.args.length > 0) {
    return usageError(
      io,
      `\`${CLI_NAME} rotate-token-key\` takes no arguments, but got "${parsed.args.join(' ')}".`,
    );
  }
  const loaded = loadConfig(io.env);
  if (!loaded.ok) {
    io.err('Please fix the configuration first:');
    for (const problem of loaded.problems) io.err(`  ${problem}`);
    return USAGE;
  }
  const { config } = loaded;
  if (config.mode !== 'distributed') {
    return usageError(
      io,
      'Only an app installed into many workspaces keeps tokens: set the same variables as the app ' +
        '(SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, SLACK_SIGNING_SECRET, the new ' +
        'SLACK_TOKEN_ENCRYPTION_KEY and the old one in SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS).',
    );
  }
  const quiet = { info: () => {}, warn: io.err, error: io.err };
  let store: Store;
  try {
    store = await openConfiguredStore(config, quiet);
  } catch (error) {
    io.err(`Could not open the store: ${errorText(error)}`);
    return PROBLEM;
  }
  try {
    const cipher = new TokenCipher(config.tokenKey, config.previousTokenKeys);
    const installations = new SealedInstallationStore(store, cipher, quiet);
    const result = await installations.reseal();
    const found =
      result.resealed + result.current + result.gone + result.unreadable.length + result.changing.length;
    const gone = result.gone > 0 ? `, ${result.gone} were uninstalled while it ran` : '';
    io.out(
      `${found} installation(s) in ${store.location}: ` +
        `${result.resealed} encrypted again with the key ${cipher.keyId}, ${result.current} already were${gone}.`,
    );
    if (result.unreadable.length > 0) {
      // Each sealed token names its key by id, so the operator learns which key to look for.
      const missing = await installations.keysMissingFor(result.unreadable);
      const which =
        missing.length === 0
          ? 'their tokens do not decrypt (changed, or copied from another record); install the app there again'
          : `they were encrypted with the key ${missing.join(', ')}, which is neither SLACK_TOKEN_ENCRYPTION_KEY ` +
            'nor in SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS (a key is named by the first 8 hex digits of its ' +
            'SHA-256): add it to SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS and run this again';
      io.err(
        `${result.unreadable.length} could not be read with any key given (${result.unreadable.join(', ')}): ${which}.`,
      );
    }
    if (result.changing.length > 0) {
      io.err(
        `${result.changing.length} changed each time they were tried (${result.changing.join(', ')}) and ` +
          'were left as they are: run this again.',
      );
    }
    if (result.unreadable.length > 0 || result.changing.length > 0) return PROBLEM;
    io.out('Every token is now under the current key: SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS can be removed.');
    return OK;
  } catch (error) {
    io.err(
      `Stopped: ${errorText(error)}. Installations done so far keep their new encryption; run it again.`,
    );
    return PROBLEM;
  } finally {
    await store.close();
  }
}
