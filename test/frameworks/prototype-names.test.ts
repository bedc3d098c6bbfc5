import { describe, expect } from 'vitest';
import { snapshotOf } from '../../src/assessments/assessments.js';
import { renderFramework } from '../../src/cli/render.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { checkFrameworks } from '../../src/frameworks/check.js';
import { loadFrameworks } from '../../src/frameworks/loader.js';
import { FrameworkError } from '../../src/frameworks/problems.js';
import type { Framework, Level } from '../../src/frameworks/schema.js';
import type { PersonData } from '../../src/model/records.js';
import { compareMessage } from '../../src/slack/views/compare.js';
import { frameworkMessage } from '../../src/slack/views/framework.js';
import { rateAllModal } from '../../src/slack/views/rate-all.js';
import { checkDataFile, FORMAT_VERSION, PersonDataSchema } from '../../src/store/schema.js';
import { it } from '../support/fixtures.js';
import { change, type Folder, folder, GOOD_YAML, lineOf } from './helpers.js';

/**
 * Ids are data: a level, competency, role or domain may be called `constructor`, a name every
 * JavaScript object inherits. It must be read as the framework's own field and never found on
 * Object.prototype, so that what `frameworks:check` accepts the app can show, rate and store.
 */

/** The test framework with the level `senior` renamed `constructor`, and a competency of that name too. */
const CONSTRUCTOR_LEVEL = GOOD_YAML.replace(
  '  - id: senior\n    name: Senior',
  '  - id: constructor\n    name: Constructor',
)
  .replaceAll('      senior: ', '      constructor: ')
  .replace('  - id: exploratory-testing', '  - id: constructor');

/** A role and domain both called `constructor`. */
const CONSTRUCTOR_ROLE = GOOD_YAML.replace(
  '  id: tester\n  name: Tester\n  aliases: [qa]',
  '  id: constructor\n  name: Constructor\n  aliases: [builder]',
).replace('domain:\n  id: web\n  name: Web', 'domain:\n  id: constructor\n  name: Construction');

let temp: Folder;
it.beforeEach(({ tempDir }) => {
  temp = folder(tempDir);
});

async function loadBoth(): Promise<{ tester: Framework; builder: Framework; level: Level }> {
  await temp.write('tester.web.yml', CONSTRUCTOR_LEVEL);
  await temp.write('constructor.constructor.yml', CONSTRUCTOR_ROLE);
  const frameworks = await loadFrameworks([temp.dir]);
  const tester = frameworks.find((f) => f.id === 'tester.web');
  const builder = frameworks.find((f) => f.id === 'constructor.constructor');
  const level = tester?.levels.find((l) => l.id === 'constructor');
  if (!tester || !builder || !level) throw new Error('the frameworks did not load');
  return { tester, builder, level };
}

async function checkOutput(): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  const ok = await checkFrameworks([temp.dir], (line) => lines.push(line));
  return { ok, lines };
}

describe('ids named like Object.prototype members work end to end', () => {
  it('passes frameworks:check', async () => {
    await loadBoth();
    const { ok, lines } = await checkOutput();
    expect(lines.at(-1)).toBe('All good: 2 frameworks checked.');
    expect(ok).toBe(true);
  });

  it('is found by the lookup, as role, domain and level', async () => {
    const { tester, builder, level } = await loadBoth();
    const catalog = new Catalog([tester, builder]);
    expect(catalog.lookup('tester constructor')).toMatchObject({ kind: 'found', framework: tester, level });
    expect(catalog.lookup('constructor constructor sr')).toMatchObject({
      kind: 'found',
      framework: builder,
      level: { id: 'senior' },
    });
    expect(catalog.lookup('builder junior')).toMatchObject({ kind: 'found', framework: builder });
    expect(catalog.lookup('tester hasOwnProperty')).toMatchObject({ kind: 'unknown-level' });
    expect(catalog.lookup('toString junior')).toMatchObject({ kind: 'unknown-role' });
    expect(catalog.lookup('__proto__ junior')).toMatchObject({ kind: 'unknown-role' });
  });

  it('shows the expected levels in Slack and in the terminal', async () => {
    const { tester, level } = await loadBoth();
    const message = JSON.stringify(frameworkMessage(tester, level));
    expect(message).toContain('Expected at Constructor: *Four (4/5)*');
    expect(message).toContain('Junior: Two (2/5) → *Constructor: Four (4/5)*');
    expect(message).not.toContain('function');
    expect(JSON.stringify(compareMessage(tester))).toContain('Junior 2 · Constructor 4');
    const lines = renderFramework(tester, level).join('\n');
    expect(lines).toContain('Expected at Constructor: Four (4/5)');
    expect(lines).not.toContain('function');
  });

  it('leaves a competency called constructor unrated in Rate all until it is rated', async () => {
    const { tester, level } = await loadBoth();
    const blocks = rateAllModal(tester, level, {}, { f: tester.id, l: level.id, v: tester.version }).blocks;
    const select = blocks.find((b) => b.block_id?.includes('constructor'));
    expect(select).toBeDefined();
    expect(JSON.stringify(select)).not.toContain('initial_option');
  });

  it('writes a finished assessment the data file accepts', async () => {
    const { tester } = await loadBoth();
    const at = '2026-05-01T10:00:00.000Z';
    for (const level of tester.levels) {
      const person: PersonData = {
        ratings: {
          [tester.id]: { constructor: { value: 3 as const, at, frameworkVersion: tester.version } },
        },
        drafts: {},
        history: [],
      };
      const record = snapshotOf(tester, level, person, 'session-1', at);
      expect(record.competencies.map((c) => [c.id, c.expected, c.nextExpected, c.rating])).toEqual(
        level.id === 'junior'
          ? [
              ['constructor', 2, 4, 3],
              ['test-automation', 1, 3, null],
            ]
          : [
              ['constructor', 4, null, 3],
              ['test-automation', 3, null, null],
            ],
      );
      person.history.push(record);
      expect(PersonDataSchema.safeParse(person).success).toBe(true);
      const file = JSON.parse(JSON.stringify({ formatVersion: FORMAT_VERSION, people: { 'T1:U1': person } }));
      expect(checkDataFile(file)).toMatchObject({ ok: true });
    }
  });
});

describe('a mistake hidden by an inherited name is reported, with file and line', () => {
  it('a competency without an expected level for the level `constructor`', async () => {
    const text = change(CONSTRUCTOR_LEVEL, '      constructor: 3\n', '');
    const file = await temp.write('tester.web.yml', text);
    await expect(loadFrameworks([temp.dir])).rejects.toThrow(FrameworkError);
    const { ok, lines } = await checkOutput();
    expect(ok).toBe(false);
    // The `expected:` line of the second competency, just above its only level.
    const line = lineOf(text, '      junior: 1') - 1;
    expect(lines).toContain(
      `${file}:${line}:5: competencies[1].expected: missing the expected level for "constructor" (every level in "levels" needs one)`,
    );
  });

  it('an expected level keyed `__proto__`, which the schema would otherwise drop in silence', async () => {
    const text = change(CONSTRUCTOR_LEVEL, '      junior: 1\n', '      junior: 1\n      __proto__: 5\n');
    const file = await temp.write('tester.web.yml', text);
    const { ok, lines } = await checkOutput();
    expect(ok).toBe(false);
    expect(lines).toContain(
      `${file}:${lineOf(text, '__proto__: 5')}:18: competencies[1].expected.__proto__: the key "__proto__" is not valid: expected a lower-case id made of letters, digits and single hyphens`,
    );
  });

  it.each(['toString', 'valueOf', 'hasOwnProperty', '__proto__'])('a level id %j', async (id) => {
    const text = change(GOOD_YAML, '  - id: senior', `  - id: ${id}`).replaceAll(
      '      senior: ',
      `      ${id}: `,
    );
    const file = await temp.write('tester.web.yml', text);
    const { ok, lines } = await checkOutput();
    expect(ok).toBe(false);
    expect(lines).toContain(
      `${file}:${lineOf(text, `- id: ${id}`)}:9: levels[1].id: expected a lower-case id made of letters, digits and single hyphens, found "${id}"`,
    );
  });
});

describe('snapshotOf never writes an assessment without its expected levels', () => {
  it('refuses a framework that lacks one, instead of writing 0 or an inherited function', async () => {
    const { tester } = await loadBoth();
    const [first, second] = tester.competencies;
    if (!first || !second) throw new Error('expected two competencies');
    // Built by hand (the loader refuses this): the second competency has no level `constructor`.
    const broken: Framework = {
      ...tester,
      competencies: [first, { ...second, expected: { junior: 1 } }],
    };
    const person: PersonData = { ratings: {}, drafts: {}, history: [] };
    const [junior, constructorLevel] = broken.levels;
    if (!junior || !constructorLevel) throw new Error('expected two levels');
    expect(() => snapshotOf(broken, constructorLevel, person, 's', '2026-05-01T10:00:00.000Z')).toThrow(
      /no expected level for "test-automation" at "constructor"/,
    );
    expect(() => snapshotOf(broken, junior, person, 's', '2026-05-01T10:00:00.000Z')).toThrow(
      /no expected level for "test-automation" at "constructor"/,
    );
  });
});

describe('views read expected levels as own fields of the framework', () => {
  it('shows a missing expected level as not given, never as something inherited', async () => {
    const { tester } = await loadBoth();
    const [first, second] = tester.competencies;
    const level = tester.levels[1];
    if (!first || !second || !level) throw new Error('expected two competencies and two levels');
    // Built by hand (the loader refuses this), as a view may be handed anything.
    const broken: Framework = { ...tester, competencies: [first, { ...second, expected: { junior: 1 } }] };
    const slack = JSON.stringify(frameworkMessage(broken, level));
    expect(slack).toContain('Expected at Constructor: not given');
    expect(slack).toContain('Junior: One (1/5) → *Constructor: –*');
    expect(slack).not.toContain('function');
    expect(JSON.stringify(compareMessage(broken))).not.toContain('function');
    const terminal = renderFramework(broken, level).join('\n');
    expect(terminal).toContain('Expected at Constructor: not given');
    expect(terminal).not.toContain('function');
  });
});
