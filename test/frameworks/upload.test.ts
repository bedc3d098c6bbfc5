import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/frameworks/catalog.js';
import { frameworkToCsv } from '../../src/frameworks/export-csv.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks, parseFramework } from '../../src/frameworks/loader.js';
import { readUpload, type Upload } from '../../src/frameworks/upload.js';
import { SEED_YAML, stewardYaml } from '../support/own-framework.js';

const bundledFrameworks = await loadFrameworks([BUNDLED_FRAMEWORKS_DIR]);
const bundled = new Catalog(bundledFrameworks);
const bundledIds = new Set(bundledFrameworks.map((f) => f.id));
const today = { today: '2026-12-06' };

const upload = (name: string, text: string): Upload => ({ name, bytes: new TextEncoder().encode(text) });

describe('a framework an admin uploads', () => {
  it('a framework file, whatever it is called, is ready to publish with its text kept', () => {
    const text = stewardYaml();
    const outcome = readUpload(upload('our framework.yaml', text), bundled, bundledIds, today);
    expect(outcome.kind).toBe('ready');
    if (outcome.kind !== 'ready') return;
    expect(outcome.framework.id).toBe('data-steward.e-commerce');
    expect(outcome.yaml).toBe(text);
    expect(outcome.replaces).toBeUndefined();
  });

  it('a CSV table becomes a framework, with the same checks as competency import', () => {
    const own = parseFramework(stewardYaml(), 'data-steward.e-commerce.yml');
    const csv = frameworkToCsv(own);
    const outcome = readUpload(upload('steward.csv', csv), bundled, bundledIds, today);
    expect(outcome.kind).toBe('ready');
    if (outcome.kind === 'ready')
      expect(outcome.framework.competencies).toHaveLength(own.competencies.length);
  });

  it('says what is wrong, line by line, and nothing is ready', () => {
    const outcome = readUpload(
      upload(
        'x.yml',
        stewardYaml('1', (f) => {
          f.scale = 'five';
        }),
      ),
      bundled,
      bundledIds,
      today,
    );
    expect(outcome.kind).toBe('problems');
    if (outcome.kind === 'problems') expect(outcome.problems.join('\n')).toMatch(/^line \d+: scale: /m);
  });

  it('refuses a binary file, a file in another encoding and a file too big, in words', () => {
    const binary = readUpload(
      { name: 'x.csv', bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 1]) },
      bundled,
      bundledIds,
      today,
    );
    expect(binary.kind).toBe('problems');
    const latin1 = readUpload(
      { name: 'x.csv', bytes: new Uint8Array([0x52, 0xf4, 0x6c, 0x65]) },
      bundled,
      bundledIds,
      today,
    );
    expect(latin1.kind).toBe('problems');
    const huge = readUpload(
      { name: 'x.csv', bytes: new Uint8Array(10 * 1024 * 1024 + 1) },
      bundled,
      bundledIds,
      today,
    );
    expect(huge.kind === 'problems' && huge.problems[0]).toMatch(/too big|MB/);
  });

  it('may not take the id of a bundled framework, nor the names of a role the org already sees', () => {
    const sameId = readUpload(upload('sa.yml', SEED_YAML), bundled, bundledIds, today);
    expect(sameId.kind === 'problems' && sameId.problems[0]).toMatch(/comes with the app/);
    const sameName = readUpload(
      upload(
        'x.yml',
        stewardYaml('1', (f) => {
          f.role = { ...(f.role as object), id: 'data-steward', name: 'Solutions Architect', aliases: [] };
        }),
      ),
      bundled,
      bundledIds,
      today,
    );
    expect(sameName.kind === 'problems' && sameName.problems.join('\n')).toMatch(/already names the role/);
  });

  it('a new version replaces the one the org has; the same version again is refused', () => {
    const own = parseFramework(stewardYaml('1'), 'data-steward.e-commerce.yml');
    const orgCatalog = new Catalog([...bundledFrameworks, own]);
    const next = readUpload(upload('x.yml', stewardYaml('2')), orgCatalog, bundledIds, today);
    expect(next.kind === 'ready' && next.replaces?.version).toBe('1');
    const again = readUpload(upload('x.yml', stewardYaml('1')), orgCatalog, bundledIds, today);
    expect(again.kind === 'problems' && again.problems[0]).toMatch(/already published/);
  });
});
