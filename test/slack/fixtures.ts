import type { Framework } from '../../src/frameworks/schema.js';

const long = (prefix: string, n: number) => `${prefix} ${'x'.repeat(Math.max(0, n - prefix.length - 1))}`;

/** A framework at every size limit the schema allows: the worst case for Block Kit limits. */
export function largestFramework(id = 'largest-role'): Framework {
  const levels = Array.from({ length: 8 }, (_, i) => ({
    id: `level-${i + 1}`,
    name: long(`Level ${i + 1}`, 60),
    aliases: [],
    summary: long('Summary', 600),
  }));
  return {
    id: `${id}.everything`,
    file: `/tmp/${id}.everything.yml`,
    role: { id, name: long('Role', 60), aliases: [], summary: long('Role summary', 600) },
    domain: { id: 'everything', name: long('Domain', 60), aliases: [] },
    version: 'v'.repeat(40),
    source: {
      title: 't'.repeat(200),
      publisher: 'p'.repeat(200),
      date: '2026-01-01',
      url: 'https://example.com/a',
    },
    scale: [1, 2, 3, 4, 5].map((value) => ({
      value,
      label: long(`L${value}`, 30),
      description: long('d', 200),
    })),
    levels,
    competencies: Array.from({ length: 24 }, (_, i) => ({
      id: `competency-${i + 1}`,
      name: long(`Competency ${i + 1}`, 60),
      category: 'c'.repeat(30),
      tier: i < 12 ? ('primary' as const) : ('supporting' as const),
      description: long('Description', 500),
      expected: Object.fromEntries(levels.map((l, j) => [l.id, Math.min(5, 1 + Math.floor(j / 2))])),
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
