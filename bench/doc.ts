import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Row } from './report/table.js';
import { ROOT } from './support.js';

/**
 * `npm run bench:doc`: rewrites the generated section of docs/performance.md (between the two
 * `bench:generated` markers) from bench/results.json, the figures of the last `npm run bench`: the
 * machine and the code measured, the table the bench printed, and where the CPU went when it was
 * run with --profile. Nothing in that section is typed by hand; the rest of the page (the method, and
 * what the figures mean) is.
 *
 *   npm run bench:doc                      from bench/results.json
 *   npm run bench:doc -- --in /tmp/figures.json
 *   npm run bench:doc -- --check           exits 1 if the section is not what the results give
 */

const BEGIN =
  '<!-- bench:generated:begin (npm run bench:doc writes this section from bench/results.json) -->';
const END = '<!-- bench:generated:end -->';
const DOC = path.join(ROOT, 'docs', 'performance.md');

type ProfilePart = { part: string; ms: number };
type Results = {
  machine: {
    cpuModel: string;
    cores: number;
    totalMemoryBytes: number;
    node: string;
    date: string;
    loadAverageAtStart: number[];
    loadAverageAtEnd?: number[];
  };
  code: { commit: string; uncommittedChanges: boolean };
  app: { command: string };
  parts: string[];
  quick: boolean;
  table: Row[];
  benchSeconds: number;
  burstProfiles?: { label: string; profile?: { busyMs: number; parts: ProfilePart[] } }[];
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ').trim();

/** The generated section, from the results of one run. */
function generatedSection(results: Results): string {
  const m = results.machine;
  const load = (l: number[] | undefined) => (l ?? []).map((x) => x.toFixed(1)).join(' ');
  const lines = [
    BEGIN,
    '',
    `Latest figures: \`npm run bench${results.quick ? ' -- --quick' : ''}\`${results.parts.length < 6 ? ` (parts: ${results.parts.join(', ')})` : ''}, ` +
      `${m.date.slice(0, 10)}, ${m.cpuModel}, ${m.cores} cores, ${(m.totalMemoryBytes / 2 ** 30).toFixed(0)} GB, Node.js ${m.node}; ` +
      `load average ${load(m.loadAverageAtStart)} at the start, ${load(m.loadAverageAtEnd)} at the end; ` +
      `the app at ${results.code.commit}${results.code.uncommittedChanges ? ' with changes not yet committed' : ''}, ` +
      `run as \`${results.app.command.replace(/\S*dist\/main\.js/, 'dist/main.js')}\`; ${results.benchSeconds.toFixed(0)} s in all.`,
    '',
    '| figure | app | baseline (same run) | ratio | goal |',
    '|---|---|---|---|---|',
    ...results.table.map(
      (r) =>
        `| ${r.name.startsWith(' ') ? '↳ ' : ''}${cell(r.name)} | ${cell(r.app)} | ${cell(r.baseline)} | ${cell(r.ratio)} | ${cell(r.goal)}${r.met === undefined ? '' : r.met ? ' ✓' : ' ✗'} |`,
    ),
  ];
  const profiles = (results.burstProfiles ?? []).filter((p) => p.profile);
  if (profiles.length > 0) {
    lines.push(
      '',
      'Where the CPU of one burst went (`--profile`, one instance, ms of CPU for 1,000 clicks):',
      '',
    );
    const parts = [...new Set(profiles.flatMap((p) => (p.profile?.parts ?? []).map((x) => x.part)))].filter(
      (part) => part !== '(idle)',
    );
    lines.push(`| part | ${profiles.map((p) => cell(p.label)).join(' | ')} |`);
    lines.push(`|---|${profiles.map(() => '---').join('|')}|`);
    lines.push(`| busy, in all | ${profiles.map((p) => (p.profile?.busyMs ?? 0).toFixed(0)).join(' | ')} |`);
    for (const part of parts) {
      const of = (p: (typeof profiles)[number]) => p.profile?.parts.find((x) => x.part === part)?.ms ?? 0;
      if (profiles.every((p) => of(p) < 5)) continue;
      lines.push(`| ${cell(part)} | ${profiles.map((p) => of(p).toFixed(0)).join(' | ')} |`);
    }
  }
  lines.push('', END);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { in: { type: 'string' }, check: { type: 'boolean', default: false } },
  });
  const source = values.in ?? path.join(ROOT, 'bench', 'results.json');
  const results = JSON.parse(await readFile(source, 'utf8')) as Results;
  const doc = await readFile(DOC, 'utf8');
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${DOC} has no generated section (${BEGIN} … ${END})`);
  const next = doc.slice(0, begin) + generatedSection(results) + doc.slice(end + END.length);
  if (values.check) {
    if (next !== doc) {
      process.stderr.write(
        `${path.relative(process.cwd(), DOC)} is not what ${source} gives: run npm run bench:doc\n`,
      );
      process.exitCode = 1;
    }
    return;
  }
  await writeFile(DOC, next);
  process.stdout.write(
    `Rewrote the generated section of ${path.relative(process.cwd(), DOC)} from ${source}\n`,
  );
}

await main();
