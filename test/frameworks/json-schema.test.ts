import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameworkJsonSchema, frameworkJsonSchemaText } from '../../src/frameworks/json-schema.js';
import { BUNDLED_FRAMEWORKS_DIR } from '../../src/frameworks/loader.js';

describe('frameworks/framework.schema.json', () => {
  it('is up to date with src/frameworks/schema.ts', async () => {
    const file = path.join(BUNDLED_FRAMEWORKS_DIR, 'framework.schema.json');
    const stored = await readFile(file, 'utf8').catch(() => '');
    expect(
      stored === frameworkJsonSchemaText(),
      'frameworks/framework.schema.json is out of date: run `npm run frameworks:schema` and commit the result',
    ).toBe(true);
  });

  it('describes the file as written, for editors', () => {
    const schema = frameworkJsonSchema() as {
      title?: string;
      required?: string[];
      properties?: Record<string, unknown>;
      additionalProperties?: unknown;
    };
    expect(schema.title).toBe('Competency framework');
    expect(schema.required).toEqual(
      expect.arrayContaining(['role', 'domain', 'scale', 'levels', 'competencies']),
    );
    expect(schema.additionalProperties).toBe(false);
  });

  it('lets editors refuse a source address that is not a web page', () => {
    const schema = frameworkJsonSchema() as {
      properties: { source: { properties: { url: { pattern: string; maxLength: number } } } };
    };
    const url = schema.properties.source.properties.url;
    const pattern = new RegExp(url.pattern);
    expect(pattern.test('https://example.com')).toBe(true);
    expect(pattern.test('HTTP://example.com')).toBe(true);
    expect(pattern.test('javascript:alert(1)')).toBe(false);
    expect(pattern.test('data:text/html,x')).toBe(false);
    expect(url.maxLength).toBe(500);
  });
});
