import { open, unlink } from 'node:fs/promises';
import { snapshotOf } from '../src/assessments/assessments.js';
import type { Framework } from '../src/frameworks/schema.js';
import { FORMAT_VERSION, type StoreData } from '../src/store/schema.js';
import type { PersonData, RatingValue } from '../src/store/store.js';

/**
 * A data file as the app would have it after a while in a large workspace: people who rated every
 * competency and finished an assessment, and people half way through (at the first competency),
 * ready to click a rating.
 */

export const TEAM_ID = 'T0LOCAL0001';
export const LEVEL_ID = 'senior';

export type Rater = { userId: string; sessionId: string };

const userId = (prefix: string, i: number) => `U${prefix}${String(i).padStart(8, '0')}`;

export function seedData(
  framework: Framework,
  counts: { finished: number; raters: number },
  now = new Date(),
): { data: StoreData; raters: Rater[] } {
  const level = framework.levels.find((l) => l.id === LEVEL_ID);
  if (!level) throw new Error(`${framework.id} has no level ${LEVEL_ID}`);
  const at = now.toISOString();
  const people: Record<string, PersonData> = {};

  for (let i = 0; i < counts.finished; i++) {
    const sessionId = `f${i.toString(36)}`;
    const ratings: PersonData['ratings'][string] = {};
    framework.competencies.forEach((c, j) => {
      ratings[c.id] = { value: (((i + j) % 5) + 1) as RatingValue, at, frameworkVersion: framework.version };
    });
    const person: PersonData = {
      ratings: { [framework.id]: ratings },
      drafts: {
        [framework.id]: {
          sessionId,
          frameworkId: framework.id,
          frameworkVersion: framework.version,
          levelId: level.id,
          position: framework.competencies.length,
          status: 'finished',
          startedAt: at,
          updatedAt: at,
        },
      },
      history: [],
    };
    // The same snapshot the app records when someone finishes.
    person.history.push(snapshotOf(framework, level, person, sessionId, at));
    people[`${TEAM_ID}:${userId('F', i)}`] = person;
  }

  const raters: Rater[] = [];
  for (let i = 0; i < counts.raters; i++) {
    const rater = { userId: userId('R', i), sessionId: `r${i.toString(36)}` };
    raters.push(rater);
    people[`${TEAM_ID}:${rater.userId}`] = {
      ratings: {},
      drafts: {
        [framework.id]: {
          sessionId: rater.sessionId,
          frameworkId: framework.id,
          frameworkVersion: framework.version,
          levelId: level.id,
          position: 0,
          status: 'rating',
          startedAt: at,
          updatedAt: at,
        },
      },
      history: [],
    };
  }
  return { data: { formatVersion: FORMAT_VERSION, people }, raters };
}

export type WriteTiming = { stringifyMs: number; writeAndSyncMs: number; totalMs: number; bytes: number };

/** One full write the way the store does it: JSON.stringify (compact), write, fsync. */
export async function timedWrite(file: string, data: StoreData): Promise<WriteTiming> {
  const t0 = performance.now();
  const text = JSON.stringify(data);
  const t1 = performance.now();
  const handle = await open(file, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  const t2 = performance.now();
  return { stringifyMs: t1 - t0, writeAndSyncMs: t2 - t1, totalMs: t2 - t0, bytes: Buffer.byteLength(text) };
}

/** Writes the data file, then times two more full writes of it beside it; all three timings. */
export async function writeDataFile(file: string, data: StoreData): Promise<WriteTiming[]> {
  const timings = [await timedWrite(file, data)];
  const scratch = `${file}.bench-write`;
  for (let i = 0; i < 2; i++) timings.push(await timedWrite(scratch, data));
  await unlink(scratch);
  return timings;
}
