import { spawnSync } from 'node:child_process';
import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { BUNDLED_FRAMEWORKS_DIR, parseFramework, readFrameworks } from '../../src/frameworks/loader.js';
import { type Folder, folder } from '../frameworks/helpers.js';
import { it } from '../support/fixtures.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE = path.join(ROOT, 'docs/examples/framework.csv');
const PAGES = path.join(ROOT, 'test/fixtures/pages');

type Run = { code: number; out: string[]; err: string[] };

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env });
  return { code, out, err };
}

/** Runs `competency …` as a separate process, the way a person does. */
function spawnCli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FRAMEWORKS_DIR;
  const result = spawnSync(process.execPath, ['bin/competency.js', ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(result.error).toBeUndefined();
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let temp: Folder;
it.beforeEach(({ tempDir }) => {
  temp = folder(tempDir);
});

describe('competency import (spawned)', () => {
  it('writes a file the loader accepts, then export gives the same CSV back', async () => {
    const run = spawnCli(['import', EXAMPLE, '--out', temp.dir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const file = path.join(temp.dir, 'data-engineer.fintech.yml');
    expect(run.stdout).toContain(
      `Wrote ${file}: Data Engineer · Fintech, 3 levels (Junior, Mid-Level, Senior), 4 competencies.`,
    );
    expect(await readdir(temp.dir)).toEqual(['data-engineer.fintech.yml']);
    const { frameworks, problems } = await readFrameworks([temp.dir]);
    expect(problems).toEqual([]);
    expect(frameworks.map((f) => f.id)).toEqual(['data-engineer.fintech']);

    const exported = spawnCli(['export', 'data-engineer.fintech', '--csv', '--dir', temp.dir]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(await readFile(EXAMPLE, 'utf8'));
  });

  it('prints each problem with its file and line, exits 1 and writes nothing', async () => {
    const csv = await readFile(EXAMPLE, 'utf8');
    const bad = await temp.write(
      'people.csv',
      csv.replace(
        'Junior,Data Pipeline Design,technical,primary,2,',
        'Junior,Data Pipeline Design,technical,primary,7,',
      ),
    );
    const out = path.join(temp.dir, 'out');
    const run = spawnCli(['import', bad, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([
      'Could not import, because of this problem:',
      `  ${bad}:2: expected level "7" is not 1–5; use a whole number from 1 to 5`,
      'Nothing was written.',
      '',
    ]);
    expect(run.stderr).not.toMatch(/\bat .+:\d+:\d+\)/);
    expect(await readdir(temp.dir)).toEqual(['people.csv']);
  });
});

describe('competency import', () => {
  it('merges pages of one role into one file', async () => {
    const run = await cli([
      'import',
      path.join(PAGES, 'solutions-architect.mid-level.txt'),
      path.join(PAGES, 'solutions-architect.senior.txt'),
      '--out',
      temp.dir,
    ]);
    expect(run.code).toBe(0);
    // The bundled framework has the same id: the note says so.
    expect(run.err.join('\n')).toContain(
      'the bundled frameworks already have solutions-architect.e-commerce',
    );
    const { frameworks, problems } = await readFrameworks([temp.dir]);
    expect(problems).toEqual([]);
    expect(frameworks[0]?.levels.map((l) => l.summary !== undefined)).toEqual([true, true, false]);
  });

  it('writes to the file --out names, and refuses a name the app would not load', async () => {
    const file = path.join(temp.dir, 'data-engineer.fintech.yml');
    expect((await cli(['import', EXAMPLE, '--out', file])).code).toBe(0);
    expect(await readdir(temp.dir)).toEqual(['data-engineer.fintech.yml']);

    const wrong = await cli(['import', EXAMPLE, '--out', path.join(temp.dir, 'mine.yml')]);
    expect(wrong.code).toBe(1);
    expect(wrong.err[0]).toContain(
      'the app loads this framework only from a file named data-engineer.fintech.yml',
    );
    expect(wrong.err[1]).toBe('Nothing was written.');
    expect(await readdir(temp.dir)).toEqual(['data-engineer.fintech.yml']);
  });

  it('does not replace a file without --force', async () => {
    const file = await temp.write('data-engineer.fintech.yml', 'mine\n');
    const refused = await cli(['import', EXAMPLE, '--out', temp.dir]);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toContain('already exists: add --force to replace it');
    expect(await readFile(file, 'utf8')).toBe('mine\n');

    expect((await cli(['import', EXAMPLE, '--out', temp.dir, '--force'])).code).toBe(0);
    expect(await readFile(file, 'utf8')).toContain('name: Data Engineer');
    expect((await readdir(temp.dir)).sort()).toEqual(['data-engineer.fintech.yml']);
  });

  it('prints the YAML with --out -', async () => {
    const run = await cli(['import', EXAMPLE, '--out', '-']);
    expect(run.code).toBe(0);
    expect(run.out[0]).toBe('# yaml-language-server: $schema=./framework.schema.json');
  });

  it('explains a missing file, and a missing argument', async () => {
    const missing = await cli(['import', path.join(temp.dir, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toEqual([
      `${path.join(temp.dir, 'nope.csv')}: no such file or folder`,
      'Nothing was written.',
    ]);
    const none = await cli(['import']);
    expect(none.code).toBe(2);
    expect(none.err[0]).toContain('`competency import` needs a file to read');
  });
});

describe('competency import: what it reads', () => {
  /** The example table with an en dash and an accent on line 2 (and on every row of that competency). */
  const accented = async () =>
    (await readFile(EXAMPLE, 'utf8')).replaceAll('easy to rerun', 'easy to rerun – café-style');
  const SAVE_AS =
    'save it as UTF-8 (in Excel: File → Save As → "CSV UTF-8 (Comma delimited)"; in an editor: encoding UTF-8), then import it again';

  it('refuses a file saved as Windows-1252 (Excel’s plain "CSV") at its line, instead of importing � for – and é', async () => {
    const text = await accented();
    const bytes = Buffer.from([...text].map((c) => (c === '–' ? 0x96 : (c.codePointAt(0) ?? 0))));
    const file = path.join(temp.dir, 'people.csv');
    await writeFile(file, bytes);
    const out = path.join(temp.dir, 'out');
    const run = await cli(['import', file, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.err).toEqual([
      'Could not import, because of this problem:',
      `  ${file}:2: this line is not UTF-8 text: the byte 0x96 ("–" in Windows-1252, the encoding of Excel's plain "CSV") cannot be read. The file is in another encoding; ${SAVE_AS}`,
      'Nothing was written.',
    ]);
    expect(await readdir(temp.dir)).toEqual(['people.csv']);
  });

  it('reads UTF-16 (LE or BE) and UTF-8 with a byte order mark as what they say', async () => {
    const text = await accented();
    const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
    const encodings = {
      'utf16le.csv': le,
      'utf16be.csv': Buffer.from(le).swap16(),
      'utf8bom.csv': Buffer.from(`\uFEFF${text}`),
    };
    for (const [name, bytes] of Object.entries(encodings)) {
      const file = path.join(temp.dir, name);
      await writeFile(file, bytes);
      const run = await cli(['import', file, '--out', '-']);
      expect(run.err).toEqual([]);
      expect(run.code).toBe(0);
      expect(run.out.join('\n')).toContain('easy to rerun – café-style');
      expect(run.out.join('\n')).not.toContain('\uFFFD');
    }
  });

  it('refuses a file over 10 MB without reading it', async () => {
    const file = path.join(temp.dir, 'huge.csv');
    await writeFile(file, 'role,domain\n');
    await truncate(file, 11 * 1024 * 1024);
    const run = await cli(['import', file, '--out', temp.dir]);
    expect(run.code).toBe(1);
    expect(run.err).toEqual([
      'Could not import, because of this problem:',
      `  ${file}: the file is 11.0 MB; the importer reads files up to 10.0 MB (a framework as a table is rarely over 100 kB): is it the right file?`,
      'Nothing was written.',
    ]);
    expect(await readdir(temp.dir)).toEqual(['huge.csv']);
  });
});

describe('competency export --csv, then import, then export', () => {
  it('guards cells a spreadsheet would run as formulas, and gives the same bytes back', async () => {
    const csv = (await readFile(EXAMPLE, 'utf8'))
      .replaceAll('Data Quality and Testing', '@data Quality')
      .replaceAll('Stakeholder Communication', '+1 Communication')
      .replace(/,"Designs batch/g, ',"- Designs batch')
      .replace(/,"Catches wrong/g, `,"'=Catches wrong`);
    const first = path.join(temp.dir, 'first');
    expect((await cli(['import', await temp.write('people.csv', csv), '--out', first])).code).toBe(0);
    const exported = path.join(temp.dir, 'exported.csv');
    const exportRun = await cli([
      'export',
      'data-engineer.fintech',
      '--csv',
      '--dir',
      first,
      '--out',
      exported,
    ]);
    expect(exportRun.err).toEqual([]);
    const table = await readFile(exported, 'utf8');
    // Each risky cell starts with ' in the file, so a spreadsheet shows it as text.
    expect(table).toContain(",'@data Quality,");
    expect(table).toContain(",'+1 Communication,");
    expect(table).toContain(`,"'- Designs batch`);
    // A ' the person wrote before an = was the guard: it is taken off on import, and put back on export.
    expect(table).toContain(`,"'=Catches wrong`);
    expect(table.split('\n').some((line) => /(^|,)"?[=+\-@]/.test(line))).toBe(false);

    const second = path.join(temp.dir, 'second');
    expect((await cli(['import', exported, '--out', second])).code).toBe(0);
    const again = path.join(temp.dir, 'again.csv');
    expect(
      (await cli(['export', 'data-engineer.fintech', '--csv', '--dir', second, '--out', again])).code,
    ).toBe(0);
    expect(await readFile(again)).toEqual(await readFile(exported));
    const { frameworks } = await readFrameworks([second]);
    expect(frameworks[0]?.competencies.map((c) => c.name)).toEqual([
      'Data Pipeline Design',
      '@data Quality',
      'Regulatory Data Compliance',
      '+1 Communication',
    ]);
    expect(frameworks[0]?.competencies[0]?.description).toMatch(/^- Designs batch/);
    expect(frameworks[0]?.competencies[1]?.description).toMatch(/^=Catches wrong/);
  });
});

describe('competency export', () => {
  it('finds a framework by role, writes TSV, and writes to --out', async () => {
    const tsv = await cli(['export', 'sa', '--tsv']);
    expect(tsv.code).toBe(0);
    expect(tsv.out[0]).toBe(
      'role\tdomain\tlevel\tcompetency\tcategory\ttier\texpected level\tdescription\tscale label\trole summary\tlevel summary',
    );
    expect(tsv.out[1]).toMatch(
      /^Solutions Architect\tE-commerce\tMid-Level\tComposable Commerce Strategy\tstrategic\tprimary\t2\t/,
    );

    const file = path.join(temp.dir, 'sa.csv');
    const written = await cli(['export', 'solutions-architect.e-commerce', '--csv', '--out', file]);
    expect(written.code).toBe(0);
    expect(written.out).toEqual([`Wrote ${file}: solutions-architect.e-commerce, 24 rows.`]);
    // The exported table imports back to the same facts.
    const back = await cli(['import', file, '--out', temp.dir]);
    expect(back.code).toBe(0);
    const { frameworks, problems } = await readFrameworks([temp.dir]);
    expect(problems).toEqual([]);
    const reimported = frameworks[0];
    const bundledFile = path.join(BUNDLED_FRAMEWORKS_DIR, 'solutions-architect.e-commerce.yml');
    const bundled = parseFramework(await readFile(bundledFile, 'utf8'), bundledFile);
    const facts = (f: typeof bundled | undefined) =>
      f?.competencies.map((c) => [c.id, c.name, c.category, c.tier, c.expected, c.description]);
    expect(facts(reimported)).toEqual(facts(bundled));
    expect(reimported?.levels.map((l) => l.summary)).toEqual(bundled.levels.map((l) => l.summary));
    expect(reimported?.role.summary).toBe(bundled.role.summary);
  });

  it('needs a format and a framework that exists', async () => {
    const noFormat = await cli(['export', 'sa']);
    expect(noFormat.code).toBe(2);
    expect(noFormat.err[0]).toBe('In which format? Add --csv (or --tsv), e.g. `competency export sa --csv`.');
    const unknown = await cli(['export', 'astronaut', '--csv']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain(
      'No framework matches "astronaut". Run `competency list` to see their ids.',
    );
  });

  it('is in the help', async () => {
    const help = await cli(['--help']);
    expect(help.out.join('\n')).toContain('competency import <file…> [--out <file or folder>]');
    expect(help.out.join('\n')).toContain('competency export <framework> --csv [--out <file>]');
    expect((await cli(['help', 'import'])).out[0]).toBe(
      'Usage: competency import <file> [more files…] [--out <file or folder>] [--force]',
    );
    expect((await cli(['export', '--help'])).out[0]).toMatch(/^Usage: competency export /);
  });
});
