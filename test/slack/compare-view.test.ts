import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import type { Framework, Level } from '../../src/frameworks/schema.js';
import { validateMessage } from '../../src/sandbox/block-kit.js';
import { blockTextLength, MESSAGE_TEXT_BUDGET } from '../../src/slack/views/budget.js';
import { compareMessage } from '../../src/slack/views/compare.js';
import type { Message } from '../../src/slack/views/types.js';
import { bundledCatalog } from '../support/bundled.js';
import { hostileFramework, largestFramework } from './fixtures.js';

/** Every mrkdwn text in some blocks. */
function mrkdwnTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnTexts);
  if (!node || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  if (record.type === 'mrkdwn' && typeof record.text === 'string') return [record.text];
  return Object.values(record).flatMap(mrkdwnTexts);
}

/** All mrkdwn of a message as one string, blocks joined by blank lines. */
const rendered = (message: Message): string => mrkdwnTexts(message.blocks).join('\n\n');

/** The bullet lines under "What changes from <from> to <to>", in order. */
function changeLines(message: Message, from: string, to: string): string[] {
  const text = rendered(message);
  const start = text.indexOf(`*What changes from ${from} to ${to}*`);
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = text.slice(start).split('\n').slice(1);
  const end = rest.findIndex((line) => line.startsWith('*What changes'));
  return (end < 0 ? rest : rest.slice(0, end)).filter((line) => line.startsWith('• '));
}

function levelOf(framework: Framework, id: string): Level {
  const level = framework.levels.find((l) => l.id === id);
  if (!level) throw new Error(`no level ${id}`);
  return level;
}

let bundled: Framework;

beforeAll(async () => {
  bundled = (await bundledCatalog()).framework;
});

describe('compare levels, with the bundled framework', () => {
  it('has a header with the role, and the domain and scale labels in a context line', () => {
    const message = compareMessage(bundled);
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Compare levels · Solutions Architect', emoji: true },
    });
    const context = JSON.stringify(message.blocks[1]);
    expect(context).toContain('E-commerce');
    expect(context).toContain('1 Basic · 2 Developing · 3 Proficient · 4 Advanced · 5 Expert');
  });

  it.each([
    ['Composable Commerce Strategy', 'strategic', 2, 4, 5],
    ['Omnichannel Architecture', 'technical', 2, 4, 5],
    ['Global Commerce Platform Scaling', 'technical', 1, 4, 5],
    ['Customer Data and Personalization Platform', 'technical', 2, 4, 5],
    ['Marketplace Architecture', 'technical', 1, 3, 5],
    ['Commerce Analytics and Experimentation', 'analytical', 2, 4, 5],
    ['Technical Team Leadership', 'leadership', 1, 3, 5],
    ['Supply Chain Integration Architecture', 'operational', 1, 3, 5],
  ])('shows %s at every level side by side', (name, category, mid, senior, lead) => {
    expect(rendered(compareMessage(bundled))).toContain(
      `*${name}*  ·  _${category}_\nMid-Level ${mid} · Senior ${senior} · Lead-Principal ${lead}`,
    );
  });

  it('lists primary competencies first, then supporting, several to a section', () => {
    const message = compareMessage(bundled);
    const text = rendered(message);
    const primary = text.indexOf('*Primary competencies*');
    const supporting = text.indexOf('*Supporting competencies*');
    expect(primary).toBeGreaterThan(0);
    expect(supporting).toBeGreaterThan(primary);
    expect(text.indexOf('*Global Commerce Platform Scaling*')).toBeLessThan(supporting);
    expect(text.indexOf('*Customer Data and Personalization Platform*')).toBeGreaterThan(supporting);
    // 8 competencies, yet only a handful of blocks.
    expect(message.blocks.length).toBeLessThan(12);
  });

  it('from Senior to Lead-Principal: the +2s first, then the five +1s', () => {
    const message = compareMessage(bundled, levelOf(bundled, 'senior'));
    expect(changeLines(message, 'Senior', 'Lead-Principal')).toEqual([
      '• Marketplace Architecture: Proficient (3/5) → Expert (5/5), +2',
      '• Technical Team Leadership: Proficient (3/5) → Expert (5/5), +2',
      '• Supply Chain Integration Architecture: Proficient (3/5) → Expert (5/5), +2',
      '• Composable Commerce Strategy: Advanced (4/5) → Expert (5/5), +1',
      '• Omnichannel Architecture: Advanced (4/5) → Expert (5/5), +1',
      '• Global Commerce Platform Scaling: Advanced (4/5) → Expert (5/5), +1',
      '• Customer Data and Personalization Platform: Advanced (4/5) → Expert (5/5), +1',
      '• Commerce Analytics and Experimentation: Advanced (4/5) → Expert (5/5), +1',
    ]);
    // Only the step asked for.
    expect(rendered(message)).not.toContain('What changes from Mid-Level to Senior');
  });

  it('from Mid-Level to Senior: Global Commerce Platform Scaling rises most, by 3', () => {
    const lines = changeLines(compareMessage(bundled, levelOf(bundled, 'mid-level')), 'Mid-Level', 'Senior');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe('• Global Commerce Platform Scaling: Basic (1/5) → Advanced (4/5), +3');
    expect(lines.slice(1).every((line) => line.endsWith(', +2'))).toBe(true);
  });

  it('without a level, or from the most senior one, shows every step', () => {
    for (const from of [undefined, levelOf(bundled, 'lead-principal')]) {
      const message = compareMessage(bundled, from);
      expect(changeLines(message, 'Mid-Level', 'Senior')).toHaveLength(8);
      expect(changeLines(message, 'Senior', 'Lead-Principal')).toHaveLength(8);
    }
    expect(rendered(compareMessage(bundled, levelOf(bundled, 'lead-principal')))).toContain(
      'Lead-Principal is the most senior level',
    );
  });

  it('has a fallback text that summarises the steps', () => {
    const { text } = compareMessage(bundled);
    expect(text).toContain('Compare levels · Solutions Architect (E-commerce)');
    expect(text).toContain(
      'From Mid-Level to Senior: 8 competencies rise, most Global Commerce Platform Scaling (+3)',
    );
  });

  it('is valid Block Kit, from every level', () => {
    for (const from of [undefined, ...bundled.levels])
      expect(validateMessage(compareMessage(bundled, from))).toEqual([]);
  });
});

describe('steps where nothing rises, or something falls', () => {
  /** Three levels: nothing changes from a to b; from b to c one competency rises and one falls. */
  function uneven(): Framework {
    const f = hostileFramework();
    f.levels = ['a', 'b', 'c'].map((id) => ({ id, name: `Level ${id.toUpperCase()}`, aliases: [] }));
    f.competencies = [
      {
        id: 'up',
        name: 'Up',
        category: 'c',
        tier: 'primary',
        description: 'd',
        expected: { a: 2, b: 2, c: 3 },
      },
      {
        id: 'down',
        name: 'Down',
        category: 'c',
        tier: 'supporting',
        description: 'd',
        expected: { a: 4, b: 4, c: 3 },
      },
    ];
    return f;
  }

  it('says plainly when nothing rises and lists falls separately', () => {
    const text = rendered(compareMessage(uneven()));
    expect(text).toContain('Nothing rises from Level A to Level B: every expectation stays the same.');
    expect(text).toContain(
      '*What changes from Level B to Level C*\n1 of 2 competencies rise:\n• Up: Developing (2/5) → Proficient (3/5), +1\n' +
        '1 competency is expected lower at Level C than at Level B:\n• Down: Advanced (4/5) → Proficient (3/5), −1',
    );
  });

  it('says there is nothing to compare when the framework has a single level', () => {
    const message = compareMessage(hostileFramework());
    expect(rendered(message)).toContain('single level');
    expect(rendered(message)).toContain('nothing to compare');
    expect(validateMessage(message)).toEqual([]);
  });
});

describe('the largest framework the schema allows', () => {
  const largest = largestFramework();

  /** Worse still: names that triple in length when escaped, long level ids, and every step changing everything. */
  function worstCase(): Framework {
    const f = largestFramework('worst');
    const levels = f.levels.map((l, i) => ({ ...l, id: `${i + 1}${'-x'.repeat(29)}`.slice(0, 60) }));
    f.levels = levels;
    f.domain.name = '<'.repeat(60);
    f.scale = f.scale.map((s) => ({ ...s, label: '&'.repeat(30) }));
    f.competencies = f.competencies.map((c, i) => ({
      ...c,
      name: `${i}${'<'.repeat(59)}`,
      category: '>'.repeat(30),
      expected: Object.fromEntries(levels.map((l, j) => [l.id, j % 2 === 0 ? 1 : 5])),
    }));
    return f;
  }

  it('stays within Block Kit limits and the text budget, from every level', () => {
    for (const f of [largest, worstCase()]) {
      for (const from of [undefined, ...f.levels]) {
        const message = compareMessage(f, from);
        expect(validateMessage(message)).toEqual([]);
        expect(message.blocks.length).toBeLessThanOrEqual(45);
        expect(blockTextLength(message.blocks)).toBeLessThanOrEqual(MESSAGE_TEXT_BUDGET);
      }
    }
  });

  it('still shows every competency side by side: ids at their longest leave values only, tracks on one line', () => {
    const ladder = largestFramework('one-ladder', { oneLadder: true });
    const oneStep = rendered(compareMessage(ladder, ladder.levels[1]));
    const everyStep = rendered(compareMessage(ladder));
    for (const c of ladder.competencies) {
      expect(oneStep).toContain(`*${c.name}*`);
      expect(everyStep).toContain(`*${c.name}*`);
    }
    // Values only, in the order of the levels listed at the top.
    expect(everyStep).toContain('\n1 → 1 → 2 → 2 → 3 → 3 → 4 → 4');
    expect(everyStep).toContain(`Levels: ${ladder.levels.map((l) => l.name).join(' → ')}`);

    const forked = rendered(compareMessage(largest));
    for (const c of largest.competencies) expect(forked).toContain(`*${c.name}*`);
    // Too long for a line per track: the shared levels, then each track's in the order given at the top.
    expect(forked).toContain('\n1 → 1 ▸ 2 → 2 | 3 → 3 | 4 | 4');
    expect(forked).toContain('then each track apart by |');
  });

  it('says how many changes it left out when they do not all fit', () => {
    const text = rendered(compareMessage(worstCase()));
    expect(text).toMatch(/…and \d+ more|Not listed here/);
  });
});

describe('escaping', () => {
  it('escapes every name from YAML in mrkdwn and in the fallback text', () => {
    const f = hostileFramework();
    f.levels.push({ id: 'lead', name: 'Lead <!here>', aliases: [] });
    for (const c of f.competencies) c.expected.lead = 5;
    f.scale = f.scale.map((s) => ({ ...s, label: `${s.label} <!channel>` }));
    for (const from of [undefined, ...f.levels]) {
      const message = compareMessage(f, from);
      const all = JSON.stringify([message.text, mrkdwnTexts(message.blocks)]);
      expect(all).not.toMatch(/<!(channel|here|everyone|subteam)/);
      expect(all).not.toContain('<@U123>');
      expect(all).not.toContain('<b>');
      expect(all).toContain('Name &lt;!channel&gt;');
      expect(validateMessage(message)).toEqual([]);
    }
  });
});

describe('career tracks: every step follows a ladder (the Financial Times framework)', () => {
  let ft: Framework;
  beforeAll(async () => {
    const all = await loadFrameworks([BUNDLED_FRAMEWORKS_DIR]);
    ft = all.find((f) => f.id === 'engineer.software-engineering') as Framework;
  });
  const headings = (message: Message) =>
    [...rendered(message).matchAll(/\*What changes from (.+?) to (.+?)\*/g)].map((m) => `${m[1]} → ${m[2]}`);

  it('from an individual contributor level: the next on that track, never the people manager level beside it', () => {
    const message = compareMessage(ft, levelOf(ft, 'senior-2-ic'));
    expect(validateMessage(message)).toEqual([]);
    expect(headings(message)).toEqual([
      'Senior Engineer 2 (Individual Contributor) → Principal Engineer (Individual Contributor)',
    ]);
  });

  it('all steps: shared, then each track from the fork, and nothing across tracks', () => {
    const message = compareMessage(ft);
    expect(headings(message)).toEqual([
      'Junior Engineer → Engineer',
      'Engineer → Senior Engineer 1',
      'Senior Engineer 1 → Senior Engineer 2 (Individual Contributor)',
      'Senior Engineer 2 (Individual Contributor) → Principal Engineer (Individual Contributor)',
      'Senior Engineer 1 → Senior Engineer 2 (People Manager)',
      'Senior Engineer 2 (People Manager) → Principal Engineer (People Manager)',
      'Principal Engineer (People Manager) → Technology Director',
    ]);
    const text = rendered(message);
    expect(text).not.toMatch(
      /from Senior Engineer 2 \(Individual Contributor\) to Senior Engineer 2 \(People Manager\)/,
    );
    expect(text).not.toMatch(
      /from Senior Engineer 2 \(People Manager\) to Principal Engineer \(Individual Contributor\)/,
    );
    // One ladder per track, side by side.
    expect(text).toContain(
      'Levels: Junior Engineer → Engineer → Senior Engineer 1, then Individual Contributor: Senior Engineer 2 (Individual Contributor) → Principal Engineer (Individual Contributor); People Manager: Senior Engineer 2 (People Manager) → Principal Engineer (People Manager) → Technology Director',
    );
    expect(text).toMatch(
      /\nIndividual Contributor: Senior Engineer 2 \(Individual Contributor\) \d · Principal Engineer \(Individual Contributor\) \d\nPeople Manager: /,
    );
  });

  it('at the fork, a step onto each track; at the top of a track, every step, saying which track it tops', () => {
    expect(headings(compareMessage(ft, levelOf(ft, 'senior-1')))).toEqual([
      'Senior Engineer 1 → Senior Engineer 2 (Individual Contributor)',
      'Senior Engineer 1 → Senior Engineer 2 (People Manager)',
    ]);
    const top = rendered(compareMessage(ft, levelOf(ft, 'principal-ic')));
    expect(top).toContain(
      '_Principal Engineer (Individual Contributor) is the most senior level of the Individual Contributor track, so here is every step from one level to the next._',
    );
  });
});
