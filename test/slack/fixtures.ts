import type { Framework } from '../../src/frameworks/schema.js';

const long = (prefix: string, n: number) => `${prefix} ${'x'.repeat(Math.max(0, n - prefix.length - 1))}`;

/** A slug of exactly `n` characters that starts with `prefix` (itself a slug): ids at their limit. */
const longId = (prefix: string, n = 60) => `${prefix}-${'x'.repeat(Math.max(1, n - prefix.length - 1))}`;

/** Ten aliases of 60 characters each, distinct from every other id of the framework. */
const longAliases = (prefix: string) => Array.from({ length: 10 }, (_, i) => longId(`${prefix}-alias-${i}`));

/**
 * A framework at every size limit the schema allows: the worst case for Block Kit limits. Every id
 * is 60 characters (so the framework id is 121, and ids and the version reach button values and
 * private_metadata at their longest), every name, summary, alias list, the source's url and note at
 * their limits, 24 competencies, 8 levels and 4 career tracks: two shared levels, then ladders of
 * 2, 2, 1 and 1 levels. `oneLadder` gives the same without tracks: one ladder of 8 levels.
 */
export function largestFramework(id = 'largest-role', options: { oneLadder?: boolean } = {}): Framework {
  const roleId = longId(id);
  const domainId = longId('everything');
  const trackOf = [undefined, undefined, 0, 0, 1, 1, 2, 3] as const;
  const tracks = Array.from({ length: 4 }, (_, i) => ({
    id: longId(`track-${i + 1}`),
    name: long(`Track ${i + 1}`, 60),
    summary: long('Track summary', 300),
  }));
  const levels = Array.from({ length: 8 }, (_, i) => {
    const track = options.oneLadder ? undefined : trackOf[i];
    return {
      id: longId(`level-${i + 1}`),
      name: long(`Level ${i + 1}`, 60),
      aliases: longAliases(`level-${i + 1}`),
      ...(track === undefined ? {} : { track: tracks[track]?.id }),
      summary: long('Summary', 600),
    };
  });
  return {
    id: `${roleId}.${domainId}`,
    file: `/tmp/${roleId}.${domainId}.yml`,
    role: {
      id: roleId,
      name: long('Role', 60),
      aliases: longAliases(id),
      summary: long('Role summary', 600),
    },
    domain: { id: domainId, name: long('Domain', 60), aliases: longAliases('domain') },
    version: 'v'.repeat(40),
    source: {
      title: 't'.repeat(200),
      publisher: 'p'.repeat(200),
      date: '2026-01-01',
      url: `https://example.com/${'u'.repeat(500 - 'https://example.com/'.length)}`,
      note: long('Note', 500),
    },
    ...(options.oneLadder ? {} : { tracks }),
    scale: [1, 2, 3, 4, 5].map((value) => ({
      value,
      label: long(`L${value}`, 30),
      description: long('d', 200),
    })),
    levels,
    competencies: Array.from({ length: 24 }, (_, i) => ({
      id: longId(`competency-${i + 1}`),
      name: long(`Competency ${i + 1}`, 60),
      category: 'c'.repeat(30),
      tier: i < 12 ? ('primary' as const) : ('supporting' as const),
      description: long('Description', 500),
      expected: Object.fromEntries(
        levels.map((l, j) => [l.id, Math.min(5, 1 + Math.floor(j / 2) + (i % 2))]),
      ),
    })),
  };
}

/** A small framework whose names try to ping everyone and forge links. */
export function hostileFramework(): Framework {
  return {
    id: 'hostile.domain',
    file: '/tmp/hostile.domain.yml',
    role: {
      id: 'hostile',
      name: 'Role <!channel>',
      aliases: [],
      summary: 'Summary <https://evil.example|x> & co',
    },
    domain: { id: 'domain', name: 'Domain <@U123>', aliases: [] },
    version: '1',
    source: { title: 'Source <!here>' },
    scale: ['Basic', 'Developing', 'Proficient', 'Advanced', 'Expert'].map((label, i) => ({
      value: i + 1,
      label,
      description: 'd',
    })),
    levels: [{ id: 'senior', name: 'Senior <!everyone>', aliases: [] }],
    competencies: [
      {
        id: 'one',
        name: 'Name <!channel>',
        category: 'cat <b>',
        tier: 'primary',
        description: 'Desc <!subteam^S1>',
        expected: { senior: 3 },
      },
    ],
  };
}
