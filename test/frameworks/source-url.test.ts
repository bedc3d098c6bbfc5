import { describe, expect } from 'vitest';
import { checkFrameworks } from '../../src/frameworks/check.js';
import { parseFramework } from '../../src/frameworks/loader.js';
import { it } from '../support/fixtures.js';
import { change, type Folder, folder, GOOD_YAML, lineOf } from './helpers.js';

/**
 * `source.url` ends up as a link under every framework answer: only web addresses (http or https)
 * are accepted, and anything else is a problem reported with file, line and field.
 */

const withUrl = (url: string) =>
  change(GOOD_YAML, '  title: Test data\n', `  title: Test data\n  url: "${url}"\n`);

let temp: Folder;
it.beforeEach(({ tempDir }) => {
  temp = folder(tempDir);
});

describe('source.url', () => {
  it.each([
    'https://example.com/frameworks/sa',
    'http://intranet.example/skills?id=1&v=2',
    'HTTPS://EXAMPLE.COM',
  ])('accepts the web address %j', (url) => {
    expect(parseFramework(withUrl(url), 'tester.web.yml').source.url).toBe(url);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'ftp://example.com/file',
    'mailto:someone@example.com',
    'slack://channel?id=C1',
    'vbscript:msgbox(1)',
    'example.com',
  ])('refuses %j, saying where and what to write instead', async (url) => {
    const text = withUrl(url);
    const file = await temp.write('tester.web.yml', text);
    const lines: string[] = [];
    expect(await checkFrameworks([temp.dir], (line) => lines.push(line))).toBe(false);
    expect(lines).toContain(
      `${file}:${lineOf(text, '  url: ')}:8: source.url: expected a web address starting with https:// or http://, such as https://example.com, found ${JSON.stringify(url.length > 40 ? `${url.slice(0, 39)}…` : url)}`,
    );
  });
});
