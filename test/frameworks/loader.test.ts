import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks, parseFramework } from '../../src/frameworks/loader.js';
import { FrameworkError, type FrameworkProblem } from '../../src/frameworks/problems.js';
import { it } from '../support/fixtures.js';
import { change, type Folder, folder, GOOD_YAML, lineOf } from './helpers.js';

let temp: Folder;
it.beforeEach(({ tempDir }) => {
  temp = folder(tempDir);
});

/** Loads `text` saved as `name` in the temp folder, and returns the error it must cause. */
async function errorFor(text: string, name = 'tester.web.yml'): Promise<FrameworkError> {
  await temp.write(name, text);
  const error = await loadFrameworks([temp.dir]).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof FrameworkError))
    throw new Error('expected loadFrameworks to throw a FrameworkError');
  return error;
}

/** Asserts one problem in `error` is on `line` of `name`, names `field`, and says `words`. */
function expectProblem(
  error: FrameworkError,
  name: string,
  line: number,
  field: string,
  words: string | RegExp,
) {
  const lines = error.message.split('\n');
  const hit = lines.find((l) => l.includes(`${name}:${line}:`) && l.includes(`: ${field}: `));
  expect(hit, `no line for ${name}:${line} ${field} in:\n${error.message}`).toBeDefined();
  if (typeof words === 'string') expect(hit).toContain(words);
  else expect(hit).toMatch(words);
  const problem = error.problems.find((p) => p.line === line && p.path === field);
  expect(problem?.file.endsWith(name)).toBe(true);
}

describe('parseFramework', () => {
  it('returns the framework with its id, its file, and defaults filled in', () => {
    const f = parseFramework(GOOD_YAML, 'frameworks/tester.web.yml');
    expect(f.id).toBe('tester.web');
    expect(f.file).toBe('frameworks/tester.web.yml');
    expect(f.domain.aliases).toEqual([]);
    expect(f.competencies).toHaveLength(2);
  });

  it('throws a FrameworkError with structured problems', () => {
    const text = change(GOOD_YAML, '      senior: 4', '      senior: 7');
    const error = (() => {
      try {
        parseFramework(text, 'tester.web.yml');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(FrameworkError);
    expect((error as FrameworkError).problems).toEqual<FrameworkProblem[]>([
      {
        file: 'tester.web.yml',
        line: lineOf(text, 'senior: 7'),
        column: 15,
        path: 'competencies[0].expected.senior',
        message: 'expected a whole number from 1 to 5, found 7',
      },
    ]);
    expect((error as FrameworkError).message).toContain(
      `tester.web.yml:${lineOf(text, 'senior: 7')}:15: competencies[0].expected.senior: expected a whole number from 1 to 5, found 7`,
    );
  });
});

describe('loader error messages', () => {
  it('YAML syntax error: gives the line', async () => {
    const text = change(GOOD_YAML, '  name: Tester\n', '  name: Tester: QA\n');
    const error = await errorFor(text);
    const line = lineOf(text, 'name: Tester: QA');
    expect(error.message).toContain(`tester.web.yml:${line}:`);
    expect(error.message).toContain('not valid YAML');
    expect(error.problems[0]?.line).toBe(line);
  });

  it('YAML syntax error: a field written twice', async () => {
    const text = change(GOOD_YAML, '  name: Tester\n', '  name: Tester\n  name: QA\n');
    const error = await errorFor(text);
    expect(error.message).toContain(`tester.web.yml:${lineOf(text, 'name: QA')}:`);
    expect(error.message).toContain('the same field appears twice');
  });

  it('missing required field: points at the parent', async () => {
    const text = change(GOOD_YAML, '  name: Tester\n', '');
    const error = await errorFor(text);
    expectProblem(error, 'tester.web.yml', lineOf(text, 'role:'), 'role.name', 'required field is missing');
  });

  it('wrong type: says what was expected and what was found', async () => {
    const text = change(GOOD_YAML, '  summary: Checks', '  summary: 42\n  # Checks');
    const error = await errorFor(text);
    expectProblem(
      error,
      'tester.web.yml',
      lineOf(text, 'summary: 42'),
      'role.summary',
      'expected text, found 42',
    );
  });

  it('wrong type: a list where a value is expected', async () => {
    const text = change(GOOD_YAML, '    tier: primary', '    tier: [primary]');
    const error = await errorFor(text);
    expectProblem(
      error,
      'tester.web.yml',
      lineOf(text, 'tier: [primary]'),
      'competencies[0].tier',
      /expected one of primary, supporting, found a list/,
    );
  });

  it('value out of range 1–5', async () => {
    const text = change(GOOD_YAML, '      senior: 4', '      senior: 7');
    const error = await errorFor(text);
    expectProblem(
      error,
      'tester.web.yml',
      lineOf(text, 'senior: 7'),
      'competencies[0].expected.senior',
      'expected a whole number from 1 to 5, found 7',
    );
  });

  it('not a whole number, or a number in quotes', async () => {
    const text = change(
      change(GOOD_YAML, '      senior: 4', '      senior: 3.5'),
      '      junior: 1',
      '      junior: "1"',
    );
    const error = await errorFor(text);
    expectProblem(
      error,
      'tester.web.yml',
      lineOf(text, 'senior: 3.5'),
      'competencies[0].expected.senior',
      'found 3.5',
    );
    expectProblem(
      error,
      'tester.web.yml',
      lineOf(text, 'junior: "1"'),
      'competencies[1].expected.junior',
      /found "1" \(remove the quotes\)/,
    );
  });

  it('unknown level key in expected', async () => {
    const text = change(GOOD_YAML, '      senior: 3\n', '      senior: 3\n      staff: 5\n');
    const error = await errorFor(text);
    expectProblem(
      error,
      'tester.web.yml',
      lineOf(text, 'staff: 5'),
      'competencies[1].expected.staff',
      '"staff" is not one of the levels (junior, senior)',
    );
  });

  it('missing level in expected: points at "expected:"', async () => {
    const text = change(GOOD_YAML, '      junior: 1\n', '');
    const error = await errorFor(text);
    const line = lineOf(text, 'Writes tests') + 1;
    expect(text.split('\n')[line - 1]).toBe('    expected:');
    expectProblem(
      error,
      'tester.web.yml',
      line,
      'competencies[1].expected',
      'missing the expected level for "junior"',
    );
  });

  it('duplicate competency id', async () => {
    const text = change(GOOD_YAML, '  - id: test-automation', '  - id: exploratory-testing # copied');
    const error = await errorFor(text);
    expectProblem(
      error,
      'tester.web.yml',
      lineOf(text, '# copied'),
      'competencies[1].id',
      'duplicate competency id "exploratory-testing"',
    );
  });

  it('bad id format', async () => {
    const text = change(GOOD_YAML, '  - id: test-automation', '  - id: Test Automation');
    const error = await errorFor(text);
    expectProblem(
      error,
      'tester.web.yml',
      lineOf(text, 'id: Test Automation'),
      'competencies[1].id',
      'expected a lower-case id made of letters, digits and single hyphens, found "Test Automation"',
    );
  });

  it('scale out of order', async () => {
    const text = change(GOOD_YAML, '  - value: 2', '  - value: 4 # wrong');
    const error = await errorFor(text);
    expectProblem(error, 'tester.web.yml', lineOf(text, '# wrong'), 'scale[1].value', 'expected 2');
  });

  it('scale with the wrong number of steps', async () => {
    const text = change(GOOD_YAML, '  - value: 5\n    label: Five\n    description: Fifth step.\n', '');
    const error = await errorFor(text);
    expectProblem(
      error,
      'tester.web.yml',
      lineOf(text, 'scale:'),
      'scale',
      'expected exactly 5 entries, found 4',
    );
  });

  it('a misspelled field is reported, not silently dropped', async () => {
    const text = change(GOOD_YAML, '    aliases: [sr]', '    alias: [sr]');
    const error = await errorFor(text);
    expectProblem(
      error,
      'tester.web.yml',
      lineOf(text, 'alias: [sr]'),
      'levels[1].alias',
      'did you mean "aliases"?',
    );
  });

  it('an empty file', async () => {
    const error = await errorFor('# nothing yet\n');
    expect(error.message).toContain('tester.web.yml:1:1: the file is empty');
  });

  it('file name not matching the ids', async () => {
    const error = await errorFor(GOOD_YAML, 'tester.mobile.yml');
    expectProblem(
      error,
      'tester.mobile.yml',
      lineOf(GOOD_YAML, 'id: web'),
      'domain.id',
      'the file name must be "tester.web.yml"',
    );

    const other = await errorFor(GOOD_YAML, 'qa.yml');
    expectProblem(
      other,
      'qa.yml',
      lineOf(GOOD_YAML, 'id: tester'),
      'role.id',
      'the file name must be "tester.web.yml"',
    );
  });

  it('two levels with the same alias', async () => {
    const text = change(GOOD_YAML, '    aliases: [sr]', '    aliases: [sr, junior]');
    const error = await errorFor(text);
    expectProblem(
      error,
      'tester.web.yml',
      lineOf(text, '[sr, junior]'),
      'levels[1].aliases[1]',
      'already names the level "Junior"',
    );
  });

  it('a missing folder, and an empty folder', async () => {
    const missing = path.join(temp.dir, 'nope');
    const empty = path.join(temp.dir, 'empty');
    await mkdir(empty);
    const error = await loadFrameworks([missing, empty]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FrameworkError);
    const { message } = error as FrameworkError;
    expect(message).toContain(`${missing}: this folder does not exist`);
    expect(message).toContain(`${empty}: no framework files here`);
  });

  it('collects the problems of every file instead of stopping at the first', async () => {
    await temp.write('a.web.yml', change(change(GOOD_YAML, '  id: tester', '  id: a'), '  name: Web\n', ''));
    const error = await errorFor(change(GOOD_YAML, '      senior: 4', '      senior: 9'), 'tester.web.yml');
    expect(error.problems.map((p) => path.basename(p.file))).toEqual(['a.web.yml', 'tester.web.yml']);
  });

  it('the same framework id in two folders names both files', async () => {
    const first = await temp.write('tester.web.yml', GOOD_YAML);
    const otherDir = path.join(temp.dir, 'more');
    await mkdir(otherDir);
    const second = path.join(otherDir, 'tester.web.yml');
    await copyFile(first, second);
    const error = await loadFrameworks([temp.dir, otherDir]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FrameworkError);
    const { message, problems } = error as FrameworkError;
    expect(problems).toHaveLength(1);
    expect(message).toContain(`${second}:${lineOf(GOOD_YAML, 'id: tester')}:`);
    expect(message).toContain('role.id: the framework id "tester.web" is already used by');
    expect(message).toContain(first);
  });

  it('a FRAMEWORKS_DIR file cannot reuse a bundled framework id', async () => {
    const bundled = path.join(BUNDLED_FRAMEWORKS_DIR, 'solutions-architect.e-commerce.yml');
    const copy = path.join(temp.dir, 'solutions-architect.e-commerce.yml');
    await copyFile(bundled, copy);
    const error = await loadFrameworks([BUNDLED_FRAMEWORKS_DIR, temp.dir]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FrameworkError);
    const { message } = error as FrameworkError;
    expect(message).toContain(copy);
    expect(message).toContain('solutions-architect.e-commerce.yml');
    expect(message).toContain('cannot reuse the id of a bundled framework');
  });

  it('a role alias used by two roles', async () => {
    await temp.write('tester.web.yml', GOOD_YAML);
    // Files load in name order, so the later file (validator) is the one with the problem.
    const other = change(
      change(change(GOOD_YAML, '  id: tester', '  id: validator'), '  name: Tester', '  name: Validator'),
      '[qa]',
      '[qa, val]',
    );
    const error = await errorFor(other, 'validator.web.yml');
    expectProblem(
      error,
      'validator.web.yml',
      lineOf(other, '[qa, val]'),
      'role.aliases[0]',
      'already names the role "Tester"',
    );
  });

  it('a domain alias used by two domains of the same role', async () => {
    await temp.write(
      'tester.web.yml',
      change(GOOD_YAML, '  name: Web\n', '  name: Web\n  aliases: [online]\n'),
    );
    const xr = change(
      change(GOOD_YAML, '  id: web', '  id: xr'),
      '  name: Web\n',
      '  name: XR\n  aliases: [online]\n',
    );
    const error = await errorFor(xr, 'tester.xr.yml');
    expectProblem(
      error,
      'tester.xr.yml',
      lineOf(xr, 'aliases: [online]'),
      'domain.aliases[0]',
      'already names the domain "Web"',
    );
  });

  it('loads good files from several folders', async () => {
    await temp.write('tester.web.yml', GOOD_YAML);
    const frameworks = await loadFrameworks([BUNDLED_FRAMEWORKS_DIR, temp.dir]);
    const bundled = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).map((f) => f.id);
    expect(bundled).toContain('solutions-architect.e-commerce');
    expect(frameworks.map((f) => f.id)).toEqual([...bundled, 'tester.web']);
  });
});
