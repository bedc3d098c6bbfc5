import { describe, expect, it } from 'vitest';
import type { Framework } from '../../src/frameworks/schema.js';
import { validateMessage, validateView } from '../../src/sandbox/block-kit.js';
import { frameworkMessage, levelLabel } from '../../src/slack/views/framework.js';
import { helpMessage } from '../../src/slack/views/help.js';
import { homeView } from '../../src/slack/views/home.js';
import { listMessage } from '../../src/slack/views/list.js';
import { lookupProblemMessage } from '../../src/slack/views/lookup-problem.js';
import { bar, escapeText, link, truncate } from '../../src/slack/views/mrkdwn.js';
import { hostileFramework, largestFramework } from './fixtures.js';

/** Every mrkdwn text in some blocks. */
function mrkdwnTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnTexts);
  if (!node || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  if (record.type === 'mrkdwn' && typeof record.text === 'string') return [record.text];
  return Object.values(record).flatMap(mrkdwnTexts);
}

const many = (n: number): Framework[] => Array.from({ length: n }, (_, i) => largestFramework(`role-${i}`));

describe('mrkdwn helpers', () => {
  it('escapes the three characters Slack treats as control', () => {
    expect(escapeText('<!channel> & <@U1>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });
  it('draws a bar of filled and empty marks', () => {
    expect(bar(4)).toBe('▰▰▰▰▱');
    expect(bar(1)).toBe('▰▱▱▱▱');
  });
  it('truncates with an ellipsis only when needed', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('a longer sentence', 8)).toBe('a longe…');
    expect(truncate('a longer sentence', 8)).toHaveLength(8);
  });
});

describe('views stay within Block Kit limits for the largest framework the schema allows', () => {
  const largest = largestFramework();

  it('framework answer at every level, with four tracks and with one ladder of eight', () => {
    for (const framework of [largest, largestFramework('one-ladder', { oneLadder: true })]) {
      for (const level of framework.levels) {
        const message = frameworkMessage(framework, level);
        expect(validateMessage(message)).toEqual([]);
        // Every competency is still there, even when descriptions had to be shortened.
        for (const c of framework.competencies) expect(JSON.stringify(message.blocks)).toContain(c.name);
      }
    }
  });

  it('list, with few and with very many frameworks', () => {
    for (const n of [0, 1, 20, 21, 300]) expect(validateMessage(listMessage(many(n)))).toEqual([]);
  });

  it('list says which page it is when they do not all fit, and every page is within limits', () => {
    const text = JSON.stringify(listMessage(many(300)).blocks);
    expect(text).toMatch(/Page 1 of \d+/);
    for (const page of [2, 5, 1000]) expect(validateMessage(listMessage(many(300), page))).toEqual([]);
  });

  it('help and home, with very many frameworks', () => {
    expect(validateMessage(helpMessage(many(300)))).toEqual([]);
    expect(validateView(homeView({ frameworks: many(300), unfinished: [], history: [] }))).toEqual([]);
  });

  it('lookup problems', () => {
    const suggestions = [1, 2, 3].map((i) => ({ label: 'x'.repeat(100), query: `q${i} ${'y'.repeat(300)}` }));
    const problems = [
      { kind: 'unknown-role' as const, input: 'z'.repeat(5000), suggestions },
      { kind: 'missing-level' as const, framework: largest },
      { kind: 'unknown-level' as const, framework: largest, input: 'z'.repeat(5000), suggestions },
      { kind: 'missing-domain' as const, roleName: 'R', frameworks: many(30), suggestions },
      { kind: 'unknown-domain' as const, roleName: 'R', input: 'nope', frameworks: many(30), suggestions },
    ];
    for (const problem of problems) expect(validateMessage(lookupProblemMessage(problem))).toEqual([]);
  });
});

describe('the framework answer', () => {
  it('shows the expected level as the source does, with a bar, and the neighbouring levels', () => {
    const f = largestFramework();
    const level = f.levels[3];
    if (!level) throw new Error('fixture');
    const first = JSON.stringify(frameworkMessage(f, level).blocks);
    expect(levelLabel(f, 2)).toMatch(/^L2 x+ \(2\/5\)$/);
    expect(first).toContain(`*${levelLabel(f, 2)}*  ${bar(2)}`);
    expect(first).toContain(' → ');
  });

  it('escapes every name and description that comes from YAML in mrkdwn and fallback text', () => {
    const f = hostileFramework();
    const level = f.levels[0];
    if (!level) throw new Error('fixture');
    const messages = [frameworkMessage(f, level), listMessage([f]), helpMessage([f])];
    for (const message of messages) {
      // Plain-text objects (headers, button labels) are shown literally by Slack, so only mrkdwn counts.
      const all = JSON.stringify([message.text, mrkdwnTexts(message.blocks)]);
      expect(all).not.toMatch(/<!(channel|here|everyone|subteam)/);
      expect(all).not.toContain('<@U123>');
      expect(all).not.toContain('<https://evil');
    }
    expect(
      JSON.stringify(mrkdwnTexts(homeView({ frameworks: [f], unfinished: [], history: [] }).blocks)),
    ).not.toContain('<!channel>');
  });
});

describe("a framework's source link", () => {
  /** The context line under the framework answer, where the source is named. */
  function sourceLine(url: string | undefined): string {
    const f = hostileFramework();
    const level = f.levels[0];
    if (!level) throw new Error('the fixture has a level');
    const framework: Framework = { ...f, source: { ...f.source, ...(url === undefined ? {} : { url }) } };
    const line = mrkdwnTexts(frameworkMessage(framework, level).blocks).find((t) => t.includes('based on'));
    if (!line) throw new Error('no source line');
    return line;
  }

  it('links to a web address, with "source" as its text', () => {
    expect(sourceLine('https://example.com/frameworks/sa')).toContain(
      '(<https://example.com/frameworks/sa|source>)',
    );
    expect(sourceLine(undefined)).not.toContain('<http');
  });

  it('cannot choose its own link text or end the link early', () => {
    const line = sourceLine('https://example.com/page|Click here to claim your prize>now');
    expect(line).toContain(
      '(<https://example.com/page%7CClick%20here%20to%20claim%20your%20prize%3Enow|source>)',
    );
    expect(line).not.toContain('|Click here');
    expect(line).not.toMatch(/<[^>]*>now/);
  });

  it('is plain text when the address is not a web page (a framework built without the loader)', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,<b>hi</b>', 'slack://open', 'not a url']) {
      const line = sourceLine(url);
      expect(line, url).toContain('(source)');
      expect(line, url).not.toContain(url.slice(0, 8));
    }
  });

  it('the link helper escapes the address and the text', () => {
    expect(link('https://example.com/a?b=1&c=<2>', 'a <b> & c')).toBe(
      '<https://example.com/a?b=1&amp;c=%3C2%3E|a &lt;b&gt; &amp; c>',
    );
    expect(link('https://example.com/a|b', 'x|y')).toBe('<https://example.com/a%7Cb|x|y>');
    expect(link('javascript:alert(1)', 'source')).toBe('source');
    expect(link('HTTPS://Example.com', 'home')).toBe('<https://example.com/|home>');
  });
});
