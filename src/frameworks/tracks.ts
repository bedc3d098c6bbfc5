import type { Framework, Level, Track } from './schema.js';

/**
 * Career tracks: which levels follow which. A framework without tracks is one ladder, its levels in
 * order. With tracks (an individual contributor and a people manager track, say), the levels every
 * track shares come first; then each track is a ladder of its own, climbing from the last shared
 * level (the fork). "Next", "above", "below" and "what changes" always follow one ladder: the next
 * level of Senior Engineer 2 (Individual Contributor) is Principal Engineer (Individual Contributor),
 * never Senior Engineer 2 (People Manager), which stands beside it.
 */

/** One ladder: a track and its levels from the most junior (shared ones first), or the only ladder. */
export type Ladder = { track: Track | undefined; levels: Level[] };

/** The levels every track shares (all of them, when there are no tracks). */
export function sharedLevels(framework: Pick<Framework, 'levels'>): Level[] {
  return framework.levels.filter((level) => level.track === undefined);
}

/** The track a level is on; undefined for a shared level (or a framework without tracks). */
export function trackOf(
  framework: Pick<Framework, 'tracks'>,
  level: Pick<Level, 'track'>,
): Track | undefined {
  return level.track === undefined ? undefined : framework.tracks?.find((t) => t.id === level.track);
}

/** Every ladder of the framework: one per track, or the one ladder of a framework without tracks. */
export function laddersOf(framework: Pick<Framework, 'tracks' | 'levels'>): Ladder[] {
  const tracks = framework.tracks ?? [];
  if (tracks.length === 0) return [{ track: undefined, levels: [...framework.levels] }];
  const shared = sharedLevels(framework);
  return tracks.map((track) => ({
    track,
    levels: [...shared, ...framework.levels.filter((level) => level.track === track.id)],
  }));
}

/**
 * The levels that come right after `level`: the next on its track; at the fork (the last shared
 * level of a framework with tracks), the first level of each track; none at the top of a ladder.
 */
export function nextLevels(
  framework: Pick<Framework, 'tracks' | 'levels'>,
  level: Pick<Level, 'id'>,
): Level[] {
  const next: Level[] = [];
  for (const ladder of laddersOf(framework)) {
    const at = ladder.levels.findIndex((l) => l.id === level.id);
    const after = at < 0 ? undefined : ladder.levels[at + 1];
    if (after !== undefined && !next.some((l) => l.id === after.id)) next.push(after);
  }
  return next;
}

/** The level right below `level` on its ladder, if any (the same on every ladder that has it). */
export function previousLevel(
  framework: Pick<Framework, 'tracks' | 'levels'>,
  level: Pick<Level, 'id'>,
): Level | undefined {
  for (const ladder of laddersOf(framework)) {
    const at = ladder.levels.findIndex((l) => l.id === level.id);
    if (at > 0) return ladder.levels[at - 1];
  }
  return undefined;
}

/**
 * The ladder to show beside a level: its track's, or, for a shared level, the shared levels (what
 * comes after the fork is `nextLevels`).
 */
export function ladderThrough(
  framework: Pick<Framework, 'tracks' | 'levels'>,
  level: Pick<Level, 'id' | 'track'>,
): Level[] {
  const ladders = laddersOf(framework);
  if (level.track === undefined && ladders.length > 1) return sharedLevels(framework);
  return (
    ladders.find((ladder) => ladder.levels.some((l) => l.id === level.id))?.levels ?? [...framework.levels]
  );
}

/** Whether the framework's levels fork into tracks. */
export function hasTracks(framework: Pick<Framework, 'tracks'>): boolean {
  return (framework.tracks?.length ?? 0) > 0;
}

/**
 * Every step from a level to the next one, ladder by ladder, each step once: the shared steps, then
 * for each track the step from the fork onto it and its own steps.
 */
export function stepsOf(framework: Pick<Framework, 'tracks' | 'levels'>): { from: Level; to: Level }[] {
  const steps: { from: Level; to: Level }[] = [];
  const seen = new Set<string>();
  for (const ladder of laddersOf(framework)) {
    ladder.levels.forEach((to, i) => {
      const from = ladder.levels[i - 1];
      if (from === undefined) return;
      const key = JSON.stringify([from.id, to.id]);
      if (seen.has(key)) return;
      seen.add(key);
      steps.push({ from, to });
    });
  }
  return steps;
}
