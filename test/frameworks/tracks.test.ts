import { describe, expect, it } from 'vitest';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks, parseFramework } from '../../src/frameworks/loader.js';
import { FrameworkError, formatProblem } from '../../src/frameworks/problems.js';
import type { Framework } from '../../src/frameworks/schema.js';
import { laddersOf, nextLevels, previousLevel, stepsOf, trackOf } from '../../src/frameworks/tracks.js';
import { change, GOOD_YAML, lineOf } from './helpers.js';

/**
 * Career tracks: a framework may declare tracks; a level is on one of them, or shared below the
 * fork; "next" follows the track. The bundled Financial Times framework has two.
 */

const frameworks = await loadFrameworks([BUNDLED_FRAMEWORKS_DIR]);
const ft = frameworks.find((f) => f.id === 'engineer.software-engineering') as Framework;
const names = (levels: readonly { name: string }[]) => levels.map((l) => l.name);
const level = (f: Framework, id: string) => {
  const found = f.levels.find((l) => l.id === id);
  if (!found) throw new Error(`no level ${id}`);
  return found;
};

describe('the Financial Times framework, as its source lays it out', () => {
  it('shares three levels, then forks into an individual contributor and a people manager track', () => {
    expect(ft.tracks?.map((t) => t.name)).toEqual(['Individual Contributor', 'People Manager']);
    expect(laddersOf(ft).map(({ track, levels }) => [track?.name, names(levels)])).toEqual([
      [
        'Individual Contributor',
        [
          'Junior Engineer',
          'Engineer',
          'Senior Engineer 1',
          'Senior Engineer 2 (Individual Contributor)',
          'Principal Engineer (Individual Contributor)',
        ],
      ],
      [
        'People Manager',
        [
          'Junior Engineer',
          'Engineer',
          'Senior Engineer 1',
          'Senior Engineer 2 (People Manager)',
          'Principal Engineer (People Manager)',
          'Technology Director',
        ],
      ],
    ]);
  });

  it('the next level is the next on the same track: never across, and both at the fork', () => {
    expect(names(nextLevels(ft, level(ft, 'senior-2-ic')))).toEqual([
      'Principal Engineer (Individual Contributor)',
    ]);
    expect(names(nextLevels(ft, level(ft, 'senior-2-pm')))).toEqual(['Principal Engineer (People Manager)']);
    expect(names(nextLevels(ft, level(ft, 'principal-pm')))).toEqual(['Technology Director']);
    expect(nextLevels(ft, level(ft, 'principal-ic'))).toEqual([]);
    expect(names(nextLevels(ft, level(ft, 'senior-1')))).toEqual([
      'Senior Engineer 2 (Individual Contributor)',
      'Senior Engineer 2 (People Manager)',
    ]);
    expect(previousLevel(ft, level(ft, 'principal-ic'))?.name).toBe(
      'Senior Engineer 2 (Individual Contributor)',
    );
    expect(previousLevel(ft, level(ft, 'senior-2-pm'))?.name).toBe('Senior Engineer 1');
    expect(trackOf(ft, level(ft, 'tech-director'))?.name).toBe('People Manager');
    expect(trackOf(ft, level(ft, 'engineer'))).toBeUndefined();
  });

  it('every step is within a ladder, each once', () => {
    expect(stepsOf(ft).map(({ from, to }) => `${from.id} → ${to.id}`)).toEqual([
      'junior → engineer',
      'engineer → senior-1',
      'senior-1 → senior-2-ic',
      'senior-2-ic → principal-ic',
      'senior-1 → senior-2-pm',
      'senior-2-pm → principal-pm',
      'principal-pm → tech-director',
    ]);
  });

  it('a framework without tracks is one ladder, its levels in order', () => {
    const seed = frameworks.find((f) => f.id === 'solutions-architect.e-commerce') as Framework;
    expect(laddersOf(seed)).toEqual([{ track: undefined, levels: seed.levels }]);
    expect(names(nextLevels(seed, level(seed, 'mid-level')))).toEqual(['Senior']);
    expect(stepsOf(seed)).toHaveLength(seed.levels.length - 1);
  });
});

describe('tracks in a framework file, checked with file:line', () => {
  const WITH_TRACKS = change(
    GOOD_YAML,
    `levels:
  - id: junior
    name: Junior
  - id: senior
    name: Senior
    aliases: [sr]`,
    `tracks:
  - id: ic
    name: Individual Contributor
  - id: pm
    name: People Manager
levels:
  - id: junior
    name: Junior
  - id: senior
    name: Senior
    aliases: [sr]
    track: ic
  - id: lead
    name: Lead
    track: pm`,
  ).replace(/senior: (\d)\n/g, 'senior: $1\n      lead: 5\n');

  const problemsOf = (text: string): string[] => {
    try {
      parseFramework(text, 'tester.web.yml');
    } catch (error) {
      if (error instanceof FrameworkError) return error.problems.map(formatProblem);
      throw error;
    }
    return [];
  };

  it('reads a framework with tracks', () => {
    const framework = parseFramework(WITH_TRACKS, 'tester.web.yml');
    expect(framework.levels.map((l) => l.track)).toEqual([undefined, 'ic', 'pm']);
  });

  it('a level on a track the framework does not declare', () => {
    const text = change(WITH_TRACKS, 'track: pm', 'track: manager');
    expect(problemsOf(text)).toContain(
      `tester.web.yml:${lineOf(text, 'track: manager')}:12: levels[2].track: "manager" is not one of the tracks (ic, pm)`,
    );
  });

  it('a level on a track when there are no tracks', () => {
    const text = change(GOOD_YAML, '    aliases: [sr]', '    aliases: [sr]\n    track: ic');
    expect(problemsOf(text)).toEqual([
      `tester.web.yml:${lineOf(text, 'track: ic')}:12: levels[1].track: "ic" names a track, but the framework has no "tracks" list: add one, or leave this out`,
    ]);
  });

  it('a shared level above the fork, and a track nobody is on', () => {
    const text = change(WITH_TRACKS, '    name: Lead\n    track: pm', '    name: Lead');
    const problems = problemsOf(text);
    expect(problems).toContain(
      `tester.web.yml:${lineOf(text, 'id: lead')}:5: levels[2]: "lead" has no track but comes after "senior", which is on one: levels every track shares come first, below the fork (give it a track, or move it up)`,
    );
    expect(problems).toContain(
      `tester.web.yml:${lineOf(text, 'id: pm')}:5: tracks[1]: no level is on the track "pm": give at least one level "track: pm", or remove it`,
    );
  });
});

describe('competency show: the track and its ladder', () => {
  it('names the track and shows the ladder of that track only; below the fork, both tracks that follow', async () => {
    const { renderFramework } = await import('../../src/cli/render.js');
    const text = renderFramework(ft, level(ft, 'principal-ic'), { color: false, width: 200 }).join('\n');
    expect(text).toContain('Track: Individual Contributor');
    expect(text).not.toContain('(People Manager):');
    expect(text).not.toContain('Technology Director:');
    const shared = renderFramework(ft, level(ft, 'engineer'), { color: false, width: 400 }).join('\n');
    expect(shared).not.toContain('Track:');
    expect(shared).toContain('then Senior Engineer 2 (Individual Contributor): ');
  });
});
