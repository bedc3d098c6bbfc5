import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import { change, type Folder, folder, GOOD_YAML, lineOf } from '../frameworks/helpers.js';
import { it } from '../support/fixtures.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type Run = { code: number; out: string[]; err: string[]; text: string };

/** How many frameworks ship in frameworks/ (more than one: the counts below follow it). */
const BUNDLED = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).length;

/** A `list` line with its column padding squeezed to two spaces (the widths follow the widest entry). */
const squeeze = (line: string) => line.replace(/ {2,}/g, '  ');

/** Runs the command line in-process, with its output captured line by line. */
async function cli(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; columns?: number; isTTY?: boolean } = {},
): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    env: options.env ?? {},
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    ...(options.isTTY === undefined ? {} : { isTTY: options.isTTY }),
  });
  return { code, out, err, text: out.join('\n') };
}

/** The lines from the one starting with `heading` up to the next blank line. */
function block(lines: readonly string[], heading: string): string[] {
  const start = lines.findIndex((l) => l.startsWith(heading));
  if (start < 0) throw new Error(`no line starts with "${heading}"`);
  const end = lines.indexOf('', start);
  return lines.slice(start, end < 0 ? undefined : end);
}

let temp: Folder;
it.beforeEach(({ tempDir }) => {
  temp = folder(tempDir);
});

describe('competency list', () => {
  it('prints one line per framework: id, role · domain, levels, competencies', async () => {
    const run = await cli(['list']);
    expect(run.code).toBe(0);
    expect(run.err).toEqual([]);
    expect(run.out.map(squeeze)).toContain(
      'solutions-architect.e-commerce  Solutions Architect · E-commerce  levels: mid-level, senior, lead-principal  8 competencies',
    );
    expect(run.text).toMatch(/See one with: competency show [\w-]+ [\w-]+/);
  });

  it('adds the frameworks of --dir and FRAMEWORKS_DIR', async () => {
    await temp.write('tester.web.yml', GOOD_YAML);
    for (const run of [
      await cli(['list', '--dir', temp.dir]),
      await cli(['list', `--dir=${temp.dir}`]),
      await cli(['list'], { env: { FRAMEWORKS_DIR: temp.dir } }),
    ]) {
      expect(run.code).toBe(0);
      expect(run.out.map(squeeze)).toContain(
        'tester.web  Tester · Web  levels: junior, senior  2 competencies',
      );
      expect(run.text).toContain(`${BUNDLED + 1} frameworks.`);
    }
  });

  it('leaves out a broken file with a note on stderr, and still lists the rest', async () => {
    const file = await temp.write('tester.web.yml', change(GOOD_YAML, '      senior: 4', '      senior: 6'));
    const run = await cli(['list', '--dir', temp.dir]);
    expect(run.code).toBe(0);
    expect(run.err[0]).toBe('Note: some frameworks were left out because of this problem:');
    expect(run.err.join('\n')).toContain(`${file}:`);
    expect(run.err).toContain('Run `competency validate` for the full report.');
    expect(run.text).toContain('solutions-architect.e-commerce');
    expect(run.text).not.toContain('tester.web');
  });
});

describe('competency show', () => {
  /** What the bundled framework expects at Senior, in the order the file lists them. */
  const SENIOR: [name: string, tier: 'primary' | 'supporting', value: number][] = [
    ['Composable Commerce Strategy', 'primary', 4],
    ['Omnichannel Architecture', 'primary', 4],
    ['Global Commerce Platform Scaling', 'primary', 4],
    ['Customer Data and Personalization Platform', 'supporting', 4],
    ['Marketplace Architecture', 'supporting', 3],
    ['Commerce Analytics and Experimentation', 'supporting', 4],
    ['Technical Team Leadership', 'supporting', 3],
    ['Supply Chain Integration Architecture', 'supporting', 3],
  ];
  const LABELS: Record<number, string> = { 3: 'Proficient', 4: 'Advanced' };

  it('shows the framework at Senior: title, summaries, scale, then every competency', async () => {
    const run = await cli(['show', 'solutions-architect', 'senior'], { columns: 120 });
    expect(run.code).toBe(0);
    expect(run.err).toEqual([]);
    const lines = run.out;
    expect(lines[0]).toBe('Solutions Architect · Senior · E-commerce');
    expect(run.text).toContain('Owns the big-picture design of the systems a retailer sells through');
    expect(run.text).toContain('At Senior: Owns the architecture of major commerce capabilities');
    expect(lines).toContain('8 competencies (3 primary, 5 supporting)');
    expect(lines).toContain('Scale: 1 Basic · 2 Developing · 3 Proficient · 4 Advanced · 5 Expert');

    const primaryAt = lines.indexOf('Primary competencies');
    const supportingAt = lines.indexOf('Supporting competencies');
    expect(primaryAt).toBeGreaterThan(0);
    expect(supportingAt).toBeGreaterThan(primaryAt);
    expect(lines.filter((l) => l.includes('Expected at Senior:'))).toHaveLength(8);

    for (const [name, tier, value] of SENIOR) {
      const at = lines.findIndex((l) => l.startsWith(`${name} · `));
      expect(at, name).toBeGreaterThan(tier === 'primary' ? primaryAt : supportingAt);
      if (tier === 'primary') expect(at, name).toBeLessThan(supportingAt);
      const competency = block(lines, `${name} · `);
      const bar = '▰'.repeat(value) + '▱'.repeat(5 - value);
      expect(competency, name).toContain(`  Expected at Senior: ${LABELS[value]} (${value}/5)  ${bar}`);
    }

    expect(block(lines, 'Composable Commerce Strategy · ')).toEqual([
      'Composable Commerce Strategy · strategic',
      '  Decides how the commerce platform is split into replaceable, API-driven services and which vendors fill each slot.',
      '  Plans the move away from an all-in-one platform in safe steps, so one part can change without rebuilding the rest.',
      '  Expected at Senior: Advanced (4/5)  ▰▰▰▰▱',
      '  Mid-Level: Developing (2/5) → [Senior: Advanced (4/5)] → Lead-Principal: Expert (5/5)',
    ]);
    expect(block(lines, 'Marketplace Architecture · ')).toContain(
      '  Mid-Level: Basic (1/5) → [Senior: Proficient (3/5)] → Lead-Principal: Expert (5/5)',
    );
    expect(run.text).toContain(
      'Other levels:\n  competency show solutions-architect mid-level\n  competency show solutions-architect lead-principal',
    );
  });

  it('wraps to 80 columns by default, breaking the levels line after an arrow', async () => {
    const run = await cli(['show', 'solutions-architect', 'senior']);
    expect(run.code).toBe(0);
    for (const line of run.out) expect([...line].length, line).toBeLessThanOrEqual(80);
    expect(block(run.out, 'Composable Commerce Strategy · ').slice(-2)).toEqual([
      '  Mid-Level: Developing (2/5) → [Senior: Advanced (4/5)] →',
      '  Lead-Principal: Expert (5/5)',
    ]);
  });

  it('follows a narrower terminal', async () => {
    const run = await cli(['show', 'sa', 'sr'], { columns: 50 });
    expect(run.code).toBe(0);
    // Commands to copy are never broken, even when they are wider than the terminal.
    const text = run.out.filter((line) => !line.startsWith('  competency show '));
    for (const line of text) expect([...line].length, line).toBeLessThanOrEqual(50);
    expect(run.out).toContain('  competency show solutions-architect lead-principal');
  });

  it('forgives the same input as Slack does', async () => {
    for (const argv of [
      ['show', 'sa', 'sr'],
      ['show', 'Solutions', 'Architect', 'senior'],
      ['show', 'Solutions Architect', 'Senior', 'ecommerce'],
      ['show', 'solutions_architect', 'SR'],
    ]) {
      const run = await cli(argv);
      expect(run.out[0], argv.join(' ')).toBe('Solutions Architect · Senior · E-commerce');
    }
    const lead = await cli(['show', 'Solutions', 'Architect', 'lead']);
    expect(lead.out[0]).toBe('Solutions Architect · Lead-Principal · E-commerce');
    expect(lead.text).toContain('  Expected at Lead-Principal: Expert (5/5)  ▰▰▰▰▰');
  });

  it('suggests the right command for a typo, and exits 1', async () => {
    const run = await cli(['show', 'solutons-architect', 'senior']);
    expect(run.code).toBe(1);
    expect(run.out).toEqual([]);
    expect(run.err).toEqual([
      'I couldn\'t find a role called "solutons-architect".',
      'Did you mean:',
      '  competency show solutions-architect senior',
      'Run `competency list` to see every framework.',
    ]);

    const level = await cli(['show', 'sa', 'seinor']);
    expect(level.code).toBe(1);
    expect(level.err).toContain('  competency show solutions-architect senior');
  });

  it('offers the levels when the level is missing, and exits 2', async () => {
    const run = await cli(['show', 'sa']);
    expect(run.code).toBe(2);
    expect(run.err).toEqual([
      'Which level of Solutions Architect (E-commerce)? Its levels are Mid-Level,',
      'Senior, Lead-Principal.',
      'Choose one:',
      '  competency show solutions-architect mid-level',
      '  competency show solutions-architect senior',
      '  competency show solutions-architect lead-principal',
      'Run `competency --help` for usage.',
    ]);
  });

  it('shows a framework from --dir', async () => {
    await temp.write('tester.web.yml', GOOD_YAML);
    const run = await cli(['show', 'qa', 'sr', '--dir', temp.dir]);
    expect(run.code).toBe(0);
    expect(run.out[0]).toBe('Tester · Senior · Web');
    expect(run.out).toContain('  Expected at Senior: Four (4/5)  ▰▰▰▰▱');
    expect(run.out).toContain('  Junior: Two (2/5) → [Senior: Four (4/5)]');
  });

  it('prints names in bold only for a terminal, and never with NO_COLOR or --no-color', async () => {
    const bold = '\u001b[1m';
    expect((await cli(['show', 'sa', 'sr'], { isTTY: true })).text).toContain(
      `${bold}Composable Commerce Strategy\u001b[22m · strategic`,
    );
    expect((await cli(['show', 'sa', 'sr'])).text).not.toContain('\u001b');
    expect((await cli(['show', 'sa', 'sr'], { isTTY: true, env: { NO_COLOR: '1' } })).text).not.toContain(
      '\u001b',
    );
    expect((await cli(['show', 'sa', 'sr', '--no-color'], { isTTY: true })).text).not.toContain('\u001b');
  });
});

describe('competency validate', () => {
  it('passes the bundled frameworks', async () => {
    const run = await cli(['validate']);
    expect(run.code).toBe(0);
    expect(run.out).toContain(
      '✓ solutions-architect.e-commerce (Solutions Architect · E-commerce): 8 competencies, 3 levels',
    );
    expect(run.out.at(-1)).toBe(`All good: ${BUNDLED} frameworks checked.`);
  });

  it('names the file and line of broken YAML, and exits 1', async () => {
    const bad = change(GOOD_YAML, '  name: Tester\n', '  name: Tester: extra\n');
    const file = await temp.write('tester.web.yml', bad);
    const line = lineOf(bad, 'name: Tester: extra');
    for (const run of [
      await cli(['validate', temp.dir]),
      await cli(['validate'], { env: { FRAMEWORKS_DIR: temp.dir } }),
    ]) {
      expect(run.code).toBe(1);
      expect(run.out).toContain(
        `${file}:${line}:9: this is not valid YAML: nested mappings are not allowed in compact mappings`,
      );
      expect(run.out.at(-1)).toBe(`1 problem to fix; ${BUNDLED} frameworks without problems.`);
    }
  });

  it('agrees with the app about a level called constructor', async () => {
    const text = GOOD_YAML.replace(
      '  - id: senior\n    name: Senior',
      '  - id: constructor\n    name: Constructor',
    ).replaceAll('      senior: ', '      constructor: ');
    await temp.write('tester.web.yml', text);
    const valid = await cli(['validate', temp.dir]);
    expect(valid.code).toBe(0);
    const shown = await cli(['show', 'tester', 'constructor', '--dir', temp.dir]);
    expect(shown.code).toBe(0);
    expect(shown.text).toContain('Expected at Constructor: Four (4/5)');

    // Without the expected level for it, the check refuses the file (it used to find Object's constructor).
    const missing = change(text, '      constructor: 3\n', '');
    const file = await temp.write('tester.web.yml', missing);
    const run = await cli(['validate', temp.dir]);
    expect(run.code).toBe(1);
    expect(run.out).toContain(
      `${file}:${lineOf(missing, '      junior: 1') - 1}:5: competencies[1].expected: missing the expected level for "constructor" (every level in "levels" needs one)`,
    );
  });

  it('checks one file given by name, as the importer invites people to', async () => {
    const file = await temp.write('tester.web.yml', GOOD_YAML);
    const good = await cli(['validate', file]);
    expect(good.code).toBe(0);
    expect(good.out).toContain('✓ tester.web (Tester · Web): 2 competencies, 2 levels');
    const bad = await temp.write(
      'tester.web.yml',
      change(GOOD_YAML, '      senior: 4\n', '      senior: 7\n'),
    );
    const refused = await cli(['validate', bad]);
    expect(refused.code).toBe(1);
    expect(refused.out.join('\n')).toMatch(/tester\.web\.yml:\d+:\d+: competencies\[0\]\.expected\.senior: /);
    const table = await temp.write('people.csv', 'role,domain\n');
    const notFramework = await cli(['validate', table]);
    expect(notFramework.code).toBe(1);
    expect(notFramework.out).toContain(
      `${table}: this is not a framework file (a framework is a .yml or .yaml file): to turn a table or a saved page into one, use \`competency import\``,
    );
  });

  it('fails for a folder that does not exist', async () => {
    const missing = path.join(temp.dir, 'missing');
    const run = await cli(['validate', missing]);
    expect(run.code).toBe(1);
    expect(run.out).toContain(`${missing}: this folder does not exist`);
  });
});

describe('usage', () => {
  it.each([
    [[], 'Which command?'],
    [['frobnicate'], 'Unknown command "frobnicate".'],
    [['lst'], 'Unknown command "lst". Did you mean `competency list`?'],
    [['sa', 'sr'], 'Unknown command "sa". To see that framework, run `competency show sa sr`.'],
    [['show'], '`competency show` needs a role and a level'],
    [['list', 'extra'], '`competency list` takes no arguments, but got "extra".'],
    [['list', '--dir'], '--dir needs a folder'],
    [['list', '--colour'], 'Unknown option "--colour".'],
    [['help', 'frobnicate'], 'Unknown command "frobnicate".'],
  ])('%j: one line, the pointer to --help, exit 2', async (argv, message) => {
    const run = await cli(argv);
    expect(run.code).toBe(2);
    expect(run.out).toEqual([]);
    expect(run.err).toHaveLength(2);
    expect(run.err[0]).toContain(message);
    expect(run.err[1]).toBe('Run `competency --help` for usage.');
  });

  it.each([['--help'], ['-h'], ['help']])('%s prints the usage with examples, exit 0', async (flag) => {
    const run = await cli([flag]);
    expect(run.code).toBe(0);
    expect(run.err).toEqual([]);
    expect(run.text).toContain('competency show <role> <level> [domain]');
    expect(run.text).toContain('competency validate [folder or file…]');
    expect(run.text).toContain('Examples:\n  competency list\n  competency show solutions-architect senior');
  });

  it.each([
    [['show', '--help'], 'Usage: competency show <role> <level> [domain]'],
    [['help', 'show'], 'Usage: competency show <role> <level> [domain]'],
    [['validate', '-h'], 'Usage: competency validate [folder or file…]'],
    [['list', '--help'], 'Usage: competency list'],
  ])('%j prints the usage of one command, exit 0', async (argv, usage) => {
    const run = await cli(argv);
    expect(run.code).toBe(0);
    expect(run.out[0]).toContain(usage);
    expect(run.text).toContain('Examples:');
  });

  it('--version prints the version in package.json', async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const run = await cli(['--version']);
    expect(run.code).toBe(0);
    expect(run.out).toEqual([version]);
  });
});

describe('bin/competency.js', () => {
  it('runs as a program: `node bin/competency.js show sa sr`', () => {
    const env = { ...process.env };
    delete env.FRAMEWORKS_DIR;
    delete env.NO_COLOR;
    const result = spawnSync(process.execPath, ['bin/competency.js', 'show', 'sa', 'sr'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.error).toBeUndefined();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('Solutions Architect · Senior · E-commerce');
    expect(lines).toContain('  Expected at Senior: Advanced (4/5)  ▰▰▰▰▱');
    expect(lines.filter((l) => l.includes('Expected at Senior:'))).toHaveLength(8);
  });
});
