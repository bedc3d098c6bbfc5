import { Catalog } from '../src/frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../src/frameworks/loader.js';
import { roleOptionsOf } from '../src/frameworks/role-options.js';
import { SearchIndex } from '../src/frameworks/search.js';
import type { LocalSlack } from '../src/sandbox/local-slack.js';
import { sendSigned, slashCommandBody } from '../src/sandbox/signing.js';
import { FIND_LIMIT, findMessage } from '../src/slack/views/find.js';
import { MAX_OPTIONS } from '../src/slack/views/lookup-modal.js';
import { APP_ARGS, appEnv, FORM, log, SIGNING_SECRET } from './apps.js';
import { writeFrameworkCopies } from './frameworks.js';
import { COPIES, LARGE_COPIES } from './start.js';
import { cpuTimeOf, freePort, median, removeTempDir, spawnNode, tempDir, waitHealthy } from './support.js';

/**
 * 4. The framework lookup on the longest, costliest texts we could construct, next to a normal
 * command: CPU time per lookup in this process (with the bundled frameworks, with 200 more and with
 * 500 more), and the same commands sent to the real app as signed slash commands (answer time and the
 * app's CPU): a long text of words that each read as a name (`sr sr sr …`) must not cost more than a
 * few words do. Beside them, per catalog: a mistyped role among many alike (suggestions ranked over every
 * role name), `/competency find` (the search, and the answer's blocks; the index is built once,
 * on the first search, and that is measured on its own), and the role menu of the Look up a
 * competency form, which Slack asks at every letter typed and which answers in its acknowledgement.
 */

/** A normal command. Past 200 characters the catalog does not remember answers, so the padding makes each lookup do its work. */
const NORMAL_COMMAND = 'solutions-architect senior';
const NORMAL_UNREMEMBERED = `solutions-architect${' '.repeat(200)}senior`;
/** A mistyped role among the bench's roles (`bench-role-150`): every role name is compared with it. */
export const TYPO_COMMAND = 'bench-rol-150 senior';
const TYPO_UNREMEMBERED = TYPO_COMMAND.replace(' ', ' '.repeat(200));
/** What `/competency find` is timed with: a word in every copy's competency names, and one with a typo. */
export const FIND_QUERY = 'marketplace architecure';
/**
 * What the role menu is timed with, a letter at a time as Slack asks: a role with a typo, so that
 * from the fifth letter on no name starts with the text and every role is compared with it by edit
 * distance (the menu's costliest path).
 */
export const ROLE_MENU_TYPING = 'solutons archtect';

/**
 * Texts that cost the most before the lookup was bounded, or come closest to costing something now:
 * repeated levels (each reads as the start of a role's tail), near-misses of role names (edit
 * distances that cannot be skipped by length), single letters (the most words per character).
 */
export const WORST_PATTERNS = [
  'sr ',
  'senior ',
  'x ',
  'é ',
  'sa sr ',
  'a b c d e f g h i j k l m n o p q r s t u v w x y z ',
  'bench role ',
  'solutons archtect ',
];

export const LENGTHS = [4_000, 40_000] as const;
/** Each round of lookups of one text lasts at least this much CPU time (ms). */
export const ROUND_CPU_MS = 25;
const ROUNDS = 5;
const COMMANDS = 20;

const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** CPU time of one lookup, in ms: the median of 5 rounds, each of as many lookups as fit in ROUND_CPU_MS. */
function cpuPerLookup(catalog: Catalog, text: string): number {
  return cpuPer(() => catalog.lookup(text));
}

/** CPU time of one call of `work`, in ms, measured as cpuPerLookup does. */
function cpuPer(work: () => unknown): number {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const before = process.cpuUsage();
    let lookups = 0;
    let usedMs = 0;
    while (usedMs < ROUND_CPU_MS || lookups < 5) {
      work();
      lookups++;
      const used = process.cpuUsage(before);
      usedMs = (used.user + used.system) / 1000;
    }
    rounds.push(usedMs / lookups);
  }
  return median(rounds);
}

type InProcess = {
  catalog: 'bundled' | 'copies' | 'copies-large';
  frameworks: number;
  /** How many frameworks the bench added to the bundled ones. */
  added: number;
  normalMs: number;
  /** TYPO_COMMAND: an unknown role, with suggestions. */
  typoMs: number;
  typoKind: string;
  typoFirst: string | undefined;
  /** `/competency find FIND_QUERY`: the search and the answer's blocks, once the index is built. */
  findMs: number;
  findTotal: number;
  /** Building the search index, which the first find does (one build, not a median). */
  findIndexMs: number;
  /** The role menu: how many roles it ranks, and the CPU time of ranking them for the costliest letter typed. */
  roleMenu: { roles: number; costliestMs: number; costliestTyped: string; matches: number };
  /** Per length: the costliest pattern and its CPU time per lookup. */
  worst: { length: number; pattern: string; ms: number; kind: string }[];
  all: { length: number; pattern: string; ms: number }[];
};

function inProcess(name: InProcess['catalog'], catalog: Catalog, added: number): InProcess {
  const normalMs = cpuPerLookup(catalog, NORMAL_UNREMEMBERED);
  if (catalog.lookup(NORMAL_UNREMEMBERED).kind !== 'found')
    throw new Error('the normal command found nothing');
  const typoMs = cpuPerLookup(catalog, TYPO_UNREMEMBERED);
  const typo = catalog.lookup(TYPO_UNREMEMBERED);
  const typoFirst = 'suggestions' in typo ? typo.suggestions[0]?.query : undefined;
  if (added >= 150 && typoFirst !== 'bench-role-150 senior')
    throw new Error(`the mistyped role suggested ${typoFirst} first, not bench-role-150 senior`);
  const before = process.cpuUsage();
  const index = new SearchIndex(catalog.frameworks);
  const built = process.cpuUsage(before);
  const findIndexMs = (built.user + built.system) / 1000;
  const find = () => findMessage(FIND_QUERY, index.search(FIND_QUERY, FIND_LIMIT), catalog.frameworks);
  const findMs = cpuPer(find);
  const findTotal = index.search(FIND_QUERY, 0).total;
  const roleMenu = roleMenuCost(catalog);
  const all: InProcess['all'] = [];
  for (const length of LENGTHS) {
    for (const pattern of WORST_PATTERNS)
      all.push({ length, pattern, ms: cpuPerLookup(catalog, fill(pattern, length)) });
  }
  const worst = LENGTHS.map((length) => {
    const costliest = all.filter((r) => r.length === length).reduce((a, b) => (b.ms > a.ms ? b : a));
    return { ...costliest, kind: catalog.lookup(fill(costliest.pattern, length)).kind };
  });
  return {
    catalog: name,
    frameworks: catalog.frameworks.length,
    added,
    normalMs,
    typoMs,
    typoKind: typo.kind,
    typoFirst,
    findMs,
    findTotal,
    findIndexMs,
    roleMenu,
    worst,
    all,
  };
}

/**
 * The role menu, typed a letter at a time: each text ranked as the menu ranks it (at most
 * MAX_OPTIONS), the costliest of them. The ranking's preparation is worked out once per catalog, on
 * the first letter, as in the app; it is done here before timing.
 */
function roleMenuCost(catalog: Catalog): InProcess['roleMenu'] {
  const roles = roleOptionsOf(catalog);
  const typed = Array.from({ length: ROLE_MENU_TYPING.length }, (_, i) => ROLE_MENU_TYPING.slice(0, i + 1));
  const costs = typed.map((text) => ({ text, ms: cpuPer(() => roles.rank(text, MAX_OPTIONS)) }));
  const costliest = costs.reduce((a, b) => (b.ms > a.ms ? b : a));
  // The whole text still finds the role it means (a typo in each word is forgiven).
  const found = roles.rank(ROLE_MENU_TYPING, MAX_OPTIONS);
  if (found.matches[0]?.role.name !== 'Solutions Architect')
    throw new Error(`the role menu ranked ${found.matches[0]?.role.name} first for "${ROLE_MENU_TYPING}"`);
  return {
    roles: roles.size,
    costliestMs: costliest.ms,
    costliestTyped: costliest.text,
    matches: found.total,
  };
}

/** The real app with 200 more frameworks: normal and worst commands in turn, one at a time. */
async function endToEnd(slack: LocalSlack, frameworksDir: string, worstText: string) {
  const dataDir = await tempDir('lookup');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnNode(
    'app (lookup)',
    APP_ARGS,
    appEnv(slack, port, dataDir, { FRAMEWORKS_DIR: frameworksDir }),
  );
  try {
    await waitHealthy(url, child, { intervalMs: 20, timeoutMs: 120_000 });
    const send = async (text: string) => {
      const body = slashCommandBody({ command: '/competency', text, response_url: slack.newResponseUrl() });
      const t0 = performance.now();
      const answer = await sendSigned(`${url}/slack/events`, SIGNING_SECRET, body, FORM);
      const ms = performance.now() - t0;
      if (answer.status !== 200)
        throw new Error(`the app answered ${answer.status} to a ${text.length}-character command`);
      return { ms, text: answer.text };
    };
    // Warm up, and check that each command gets the answer it should.
    const normalAnswer = await send(NORMAL_COMMAND);
    if (!normalAnswer.text.includes('Expected at Senior'))
      throw new Error('the normal command did not show the framework');
    const worstAnswer = await send(worstText);
    if (!worstAnswer.text.includes('blocks')) throw new Error('the long command got no answer');

    const runs: Record<'normal' | 'worst', { ms: number[]; cpuMs: number }> = {
      normal: { ms: [], cpuMs: 0 },
      worst: { ms: [], cpuMs: 0 },
    };
    for (let i = 0; i < COMMANDS; i++) {
      for (const kind of ['normal', 'worst'] as const) {
        const cpuBefore = await cpuTimeOf(child.pid);
        const { ms } = await send(kind === 'normal' ? NORMAL_COMMAND : worstText);
        runs[kind].cpuMs += (await cpuTimeOf(child.pid)) - cpuBefore;
        runs[kind].ms.push(ms);
      }
    }
    const summary = (kind: 'normal' | 'worst') => ({
      p50Ms: median(runs[kind].ms),
      maxMs: Math.max(...runs[kind].ms),
      cpuMsPerCommand: runs[kind].cpuMs / COMMANDS,
    });
    return {
      commands: COMMANDS,
      worstLength: worstText.length,
      normal: summary('normal'),
      worst: summary('worst'),
    };
  } finally {
    await child.stop();
    await removeTempDir(dataDir);
  }
}

export async function lookupCost(slack: LocalSlack) {
  const frameworksDir = await tempDir('lookup-frameworks');
  const largeDir = await tempDir('lookup-frameworks-large');
  try {
    await writeFrameworkCopies(frameworksDir, COPIES);
    await writeFrameworkCopies(largeDir, LARGE_COPIES);
    const bundled = await loadFrameworks([BUNDLED_FRAMEWORKS_DIR]);
    const withCopies = await loadFrameworks([BUNDLED_FRAMEWORKS_DIR, frameworksDir]);
    const withLargeCopies = await loadFrameworks([BUNDLED_FRAMEWORKS_DIR, largeDir]);
    log(`lookup: ${WORST_PATTERNS.length} long texts × ${LENGTHS.join(' and ')} characters, in this process`);
    const catalogs = [
      inProcess('bundled', new Catalog(bundled), 0),
      inProcess('copies', new Catalog(withCopies), COPIES),
      inProcess('copies-large', new Catalog(withLargeCopies), LARGE_COPIES),
    ];
    // Slack sends at most a few thousand characters of command text: the app gets the 4,000-character worst case.
    const copies = catalogs[1];
    const worst4k = copies?.worst.find((w) => w.length === 4_000);
    if (!worst4k) throw new Error('no worst case at 4,000 characters');
    log(
      `lookup: ${COMMANDS} normal and ${COMMANDS} worst commands through the app, with ${COPIES} more frameworks`,
    );
    const app = await endToEnd(slack, frameworksDir, fill(worst4k.pattern, 4_000));
    return {
      roundCpuMs: ROUND_CPU_MS,
      inProcess: catalogs,
      app: { ...app, worstPattern: worst4k.pattern },
    };
  } finally {
    await removeTempDir(frameworksDir);
    await removeTempDir(largeDir);
  }
}
