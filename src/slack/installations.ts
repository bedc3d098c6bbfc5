import type {
  AuthorizeResult,
  Installation,
  InstallationQuery,
  InstallationStore,
  Logger,
} from '@slack/bolt';
import type { InstallationRecord } from '../model/records.js';
import type { Store, UninstallTarget } from '../store/store.js';
import { type TokenCipher, TokenCipherError } from '../util/token-cipher.js';

/**
 * Bolt's InstallationStore on the app's own Store (the data file or PostgreSQL), for distributed
 * mode: one installation per workspace, or per Enterprise Grid org for an org-wide install. Every
 * token is encrypted (TokenCipher) before it reaches the store, bound to its installation's id, and
 * decrypted only when Bolt asks for it to handle a request. Tokens are never logged.
 *
 * Bolt calls storeInstallation after the OAuth flow and again after it refreshes a rotating token
 * (a token about to expire is refreshed before the request that needs it is handled).
 */
export class SealedInstallationStore implements InstallationStore {
  constructor(
    private readonly store: Pick<
      Store,
      'installation' | 'saveInstallation' | 'replaceInstallation' | 'installations' | 'uninstall'
    >,
    private readonly cipher: TokenCipher,
    private readonly logger: Pick<Logger, 'info' | 'warn'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * An install (after the OAuth flow) is kept as Slack gave it. A token refresh — Bolt hands back the
   * installation this store fetched, with new tokens (it copies the object, and with it READ_FROM) —
   * is written only over an installation that is still there: an uninstall that came in between is
   * never undone by a refresh that was already under way.
   */
  async storeInstallation(installation: Installation): Promise<void> {
    const id = installationIdOf(installation);
    const at = this.now().toISOString();
    const readFrom = (installation as { [READ_FROM]?: InstallationRecord })[READ_FROM];
    if (readFrom !== undefined && readFrom.id === id) {
      for (let tries = 0; tries < REFRESH_TRIES; tries++) {
        const current = tries === 0 ? readFrom : await this.store.installation(id);
        if (current === undefined) {
          this.logger.info(
            `Kept no refreshed token for ${describeInstallation(installation)}: the app was removed from it meanwhile`,
          );
          return;
        }
        const next = { ...current, installation: this.seal(installation, id), updatedAt: at };
        if (await this.store.replaceInstallation(current, next)) return;
      }
      throw new Error(`The installation ${id} kept changing while a refreshed token was being kept`);
    }
    const existing = await this.store.installation(id);
    await this.store.saveInstallation({
      id,
      enterpriseId: installation.enterprise?.id ?? null,
      installation: this.seal(installation, id),
      installedAt: existing?.installedAt ?? at,
      updatedAt: at,
    });
    if (!existing) this.logger.info(`Installed in ${describeInstallation(installation)}`);
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const record = await this.find(query);
    if (!record) throw new NotInstalledError(query);
    // Enumerable, so that Bolt's copy for a refresh keeps it; a symbol, so that it is never stored.
    return Object.assign(this.open(record), { [READ_FROM]: record });
  }

  /**
   * Encrypts every stored token again with the current key (after SLACK_TOKEN_ENCRYPTION_KEY changed
   * and the old key moved to SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS). Installations already under the
   * current key are left as they are; one whose tokens no key opens is reported and left alone.
   *
   * Safe while the app runs: each installation is written back only if the store still has it as it
   * was read (Store.replaceInstallation), so a token refreshed meanwhile, or an uninstall, is never
   * undone. One that changed is read again and tried again: by then it may be under the current key
   * already (a refresh), or gone (an uninstall). Works on several at once. Rejects with the store's
   * error when a write fails; what was done by then stays done.
   */
  async reseal(): Promise<ResealResult> {
    const listed = await this.store.installations();
    const result: ResealResult = { resealed: 0, current: 0, gone: 0, unreadable: [], changing: [] };
    let next = 0;
    let failure: { error: unknown } | undefined;
    const work = async () => {
      for (let record = listed[next++]; record && !failure; record = listed[next++]) {
        try {
          const outcome = await this.resealOne(record);
          if (outcome === 'unreadable' || outcome === 'changing') result[outcome].push(record.id);
          else result[outcome]++;
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    // Every worker has stopped before this returns or rejects, so the store can be closed then.
    await Promise.all(Array.from({ length: RESEAL_AT_ONCE }, work));
    if (failure) throw failure.error;
    result.unreadable.sort();
    result.changing.sort();
    return result;
  }

  /** What happened to one installation in reseal: see ResealResult. */
  private async resealOne(
    listed: InstallationRecord,
  ): Promise<'resealed' | 'current' | 'gone' | 'unreadable' | 'changing'> {
    let record: InstallationRecord | undefined = listed;
    for (let attempt = 1; attempt <= RESEAL_ATTEMPTS; attempt++) {
      if (!record) return 'gone';
      if (!secretsOf(record.installation).some((value) => this.cipher.isStale(value))) return 'current';
      let installation: Installation;
      try {
        installation = this.open(record);
      } catch {
        return 'unreadable';
      }
      const resealed = { ...record, installation: this.seal(installation, record.id) };
      if (await this.store.replaceInstallation(record, resealed)) return 'resealed';
      record = await this.store.installation(listed.id);
    }
    return 'changing';
  }

  /**
   * The keys (by id, as sealed values name them) that sealed some token of these installations and
   * that this app was not given, sorted: what reseal's `unreadable` ones need. An installation whose
   * tokens fail to open for another reason (changed, or copied from another record) adds none.
   */
  async keysMissingFor(ids: readonly string[]): Promise<string[]> {
    const missing = new Set<string>();
    for (const id of ids) {
      const record = await this.store.installation(id);
      for (const value of record ? secretsOf(record.installation) : []) {
        try {
          this.cipher.open(value, id);
        } catch (error) {
          if (error instanceof TokenCipherError && error.missingKey !== undefined)
            missing.add(error.missingKey);
        }
      }
    }
    return [...missing].sort();
  }

  /**
   * Deletes the installation for this workspace or org, and with it the data of the people it
   * covered (Store.uninstall). Bolt does not call this itself; the uninstall events do the same.
   */
  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const target = uninstallTargetOf(query);
    if (target) await this.store.uninstall(target);
  }

  /**
   * The org-wide installation for a request from anywhere in that org, else the workspace's own. A
   * workspace of an org that was installed org-wide finds the org's installation.
   */
  private async find(query: InstallationQuery<boolean>): Promise<InstallationRecord | undefined> {
    if (query.isEnterpriseInstall && query.enterpriseId) return this.store.installation(query.enterpriseId);
    const own = query.teamId ? await this.store.installation(query.teamId) : undefined;
    if (own) return own;
    return query.enterpriseId ? this.store.installation(query.enterpriseId) : undefined;
  }

  /** A copy of the installation with every token (and the incoming webhook's URL) encrypted. */
  private seal(installation: Installation, id: string): Record<string, unknown> {
    return mapSecrets(installation, (value) => this.cipher.seal(value, id));
  }

  private open(record: InstallationRecord): Installation {
    return mapSecrets(record.installation, (value) =>
      this.cipher.open(value, record.id),
    ) as unknown as Installation;
  }
}

/**
 * Bolt's `authorize` (the OAuth installer's), made safe for several copies of the app on one store.
 *
 * Before a request whose token expires within two hours, Bolt refreshes the token with the refresh
 * token it read from the store. Two copies (or two requests in one copy) that read the same
 * installation at the same moment both try, and Slack honours a refresh token once: the one it
 * refuses goes on with the token it had. That is harmless while the old token still works, but once
 * it has expired the request fails (`token_expired`) — a Home tab not shown, a reminder not sent.
 * So when Bolt answers with a token that is expired (or about to be), the refresh that counted was
 * someone else's, and its tokens reach the store a moment later: this waits for them (a bounded
 * while) and uses them. Without them in time, Bolt's answer is given as it is.
 */
export function authorizeAcrossCopies(
  authorize: (source: InstallationQuery<boolean>) => Promise<AuthorizeResult>,
  store: Pick<InstallationStore, 'fetchInstallation'>,
  logger: Pick<Logger, 'info'>,
): (source: InstallationQuery<boolean>) => Promise<AuthorizeResult> {
  return async (source) => {
    const result = await authorize(source);
    const nowSeconds = () => Date.now() / 1000;
    const usable = (expiresAt: number | undefined) =>
      expiresAt === undefined || expiresAt - nowSeconds() > TOKEN_MARGIN_SECONDS;
    if (result.botToken === undefined || usable(result.botTokenExpiresAt)) return result;
    const until = Date.now() + REFRESH_WAIT_MS;
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, REFRESH_POLL_MS));
      const bot = (await store.fetchInstallation(source).catch(() => undefined))?.bot;
      if (bot?.token !== undefined && bot.token !== result.botToken && usable(bot.expiresAt)) {
        logger.info(
          `Used the token another request had just refreshed for ${source.isEnterpriseInstall ? 'the org' : 'the workspace'} ` +
            `${source.isEnterpriseInstall ? source.enterpriseId : (source.teamId ?? source.enterpriseId)} (Slack honours a refresh token once)`,
        );
        return {
          ...result,
          botToken: bot.token,
          botRefreshToken: bot.refreshToken,
          botTokenExpiresAt: bot.expiresAt,
        };
      }
    }
    return result;
  };
}

/** A token with less than this left is as good as expired: the request that uses it would fail. */
const TOKEN_MARGIN_SECONDS = 30;
/**
 * How long a request whose token could not be refreshed waits for the token another request
 * refreshed: long enough for that request to store it (a write), short of Slack's 3 seconds.
 */
const REFRESH_WAIT_MS = 2000;
const REFRESH_POLL_MS = 50;

/** What reseal did, installation by installation; the counts add up to the installations it found. */
export type ResealResult = {
  /** Encrypted again with the current key. */
  resealed: number;
  /** Already under the current key (among them any whose token was refreshed while reseal ran). */
  current: number;
  /** Uninstalled while reseal ran: nothing left to do. */
  gone: number;
  /** Ids of those whose tokens no key given opens: left as they are. */
  unreadable: string[];
  /** Ids of those that changed every time reseal tried them: left as they are, for another run. */
  changing: string[];
};

/** How many installations reseal works on at once. */
const RESEAL_AT_ONCE = 32;
/** How many times reseal tries an installation that keeps changing under it. */
const RESEAL_ATTEMPTS = 5;

/** Marks an installation handed to Bolt with the record it was read from (see storeInstallation). */
const READ_FROM = Symbol('read from');
/** How many times a refresh is tried over an installation that keeps changing (other refreshes). */
const REFRESH_TRIES = 5;

/** What the app knows of an installation that is not there: the workspace or org it was asked for. */
export class NotInstalledError extends Error {
  override name = 'NotInstalledError';
  constructor(readonly query: InstallationQuery<boolean>) {
    super(
      `The app is not installed in ${query.isEnterpriseInstall ? 'the org' : 'the workspace'} ` +
        `${query.isEnterpriseInstall ? query.enterpriseId : (query.teamId ?? query.enterpriseId)}`,
    );
  }
}

/** The installation's id: the org for an org-wide install, else the workspace. */
function installationIdOf(installation: Installation): string {
  const id = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
  if (!id) throw new Error('Slack sent an installation without the id of its workspace or org');
  return id;
}

/**
 * What an uninstall deletes, from the request that announced it: the installation (the org's for an
 * org-wide install, else the workspace's) and the people it covered (keyed by org in Enterprise
 * Grid, by workspace elsewhere; see person.ts). Undefined when the request names neither.
 */
export function uninstallTargetOf(context: {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}): UninstallTarget | undefined {
  const { teamId, enterpriseId, isEnterpriseInstall } = context;
  const installation = isEnterpriseInstall ? enterpriseId : (teamId ?? enterpriseId);
  const people = enterpriseId ?? teamId;
  if (!installation || !people) return undefined;
  return { installation, people };
}

function describeInstallation(installation: Installation): string {
  if (installation.isEnterpriseInstall)
    return `the Enterprise Grid org ${installation.enterprise?.name ?? ''} (${installation.enterprise?.id}), org-wide`.replace(
      '  ',
      ' ',
    );
  const org = installation.enterprise ? `, of the org ${installation.enterprise.id}` : '';
  return `the workspace ${installation.team?.name ?? ''} (${installation.team?.id}${org})`.replace('  ', ' ');
}

/** The secret fields of an installation, as paths. */
const SECRETS: readonly (readonly [string, string])[] = [
  ['bot', 'token'],
  ['bot', 'refreshToken'],
  ['user', 'token'],
  ['user', 'refreshToken'],
  ['incomingWebhook', 'url'],
];

/** The secrets of an installation that are strings. */
function secretsOf(installation: Record<string, unknown>): string[] {
  const found: string[] = [];
  mapSecrets(installation, (value) => {
    found.push(value);
    return value;
  });
  return found;
}

/** A deep copy of `installation` with each secret that is a string passed through `map`. */
function mapSecrets(installation: object, map: (value: string) => string): Record<string, unknown> {
  const copy = structuredClone(installation) as Record<string, Record<string, unknown> | undefined>;
  for (const [part, field] of SECRETS) {
    const holder = copy[part];
    const value = holder?.[field];
    if (holder && typeof value === 'string') holder[field] = map(value);
  }
  return copy;
}
