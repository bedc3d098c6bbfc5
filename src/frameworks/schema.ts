import { z } from 'zod';
import { own } from '../util/own.js';

/**
 * The one definition of the framework file format (frameworks/*.yml).
 * The JSON Schema in frameworks/framework.schema.json is generated from this.
 *
 * Length limits follow from where the text ends up in Slack: names become button and
 * option text (75 characters at most), descriptions become section text.
 */

/** The most levels a framework has. */
export const MAX_LEVELS = 8;
/** The most competencies a framework has, so every Block Kit surface (messages: 50 blocks, modals: 100) has room. */
export const MAX_COMPETENCIES = 24;

/** Lower-case words joined by hyphens: `solutions-architect`, `lead-principal`. */
const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a lower-case id made of letters, digits and single hyphens')
  .max(60);

const name = z.string().trim().min(1).max(60);
const aliases = z.array(slug).max(10).default([]);

const ScaleStepSchema = z.object({
  value: z.number().int().min(1).max(5),
  label: z.string().trim().min(1).max(30),
  description: z.string().trim().min(1).max(200),
});

/** The most career tracks a framework has (an individual contributor and a people manager track, say). */
const MAX_TRACKS = 4;

/**
 * A career track: a ladder of levels that a person climbs one after another, beside other tracks
 * that fork from the same shared levels (an individual contributor and a people manager track).
 */
const TrackSchema = z.object({
  id: slug,
  name,
  summary: z.string().trim().min(1).max(300).optional(),
});

const LevelSchema = z.object({
  id: slug,
  name,
  aliases,
  /**
   * The track this level is on (an id from `tracks`). Levels without one are shared by every track,
   * and come first: the levels below the fork.
   */
  track: slug.optional(),
  summary: z.string().trim().min(1).max(600).optional(),
});

const CompetencySchema = z.object({
  id: slug,
  name,
  category: z.string().trim().min(1).max(30),
  tier: z.enum(['primary', 'supporting']),
  description: z.string().trim().min(1).max(500),
  /** Expected proficiency on the 1–5 scale, keyed by level id. */
  expected: z.record(slug, z.number().int().min(1).max(5)),
});

export const FrameworkSchema = z
  .object({
    role: z.object({
      id: slug,
      name,
      aliases,
      summary: z.string().trim().min(1).max(600),
    }),
    domain: z.object({
      id: slug,
      name,
      aliases,
    }),
    /** Bumped whenever expected levels or competencies change, so old ratings are not misread. */
    version: z.string().trim().min(1).max(40),
    source: z.object({
      title: z.string().trim().min(1).max(200),
      publisher: z.string().trim().min(1).max(200).optional(),
      /** A web page (http or https only): it becomes a link under every framework answer. */
      url: z
        .url({ protocol: /^https?$/ })
        .max(500)
        .optional(),
      date: z.iso.date().optional(),
      note: z.string().trim().max(500).optional(),
    }),
    scale: z.array(ScaleStepSchema).length(5),
    /** Career tracks, when the levels fork into several ladders; none means one ladder. */
    tracks: z.array(TrackSchema).min(1).max(MAX_TRACKS).optional(),
    /**
     * Ordered from the most junior to the most senior: first the levels every track shares, then the
     * levels of each track, each track's in its own order (tracks may interleave).
     */
    levels: z.array(LevelSchema).min(1).max(MAX_LEVELS),
    competencies: z.array(CompetencySchema).min(1).max(MAX_COMPETENCIES),
  })
  .superRefine((f, ctx) => {
    f.scale.forEach((step, i) => {
      if (step.value !== i + 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['scale', i, 'value'],
          message: `expected ${i + 1}: the scale lists the values 1 to 5 in order`,
        });
      }
    });
    const levelIds = f.levels.map((l) => l.id);
    reportDuplicates(ctx, levelIds, (i) => ['levels', i, 'id'], 'level id');
    checkTracks(f, ctx);
    reportDuplicates(
      ctx,
      f.competencies.map((c) => c.id),
      (i) => ['competencies', i, 'id'],
      'competency id',
    );
    f.competencies.forEach((c, i) => {
      for (const level of levelIds) {
        if (expectedAt(c, level) === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['competencies', i, 'expected'],
            message: `missing the expected level for "${level}" (every level in "levels" needs one)`,
          });
        }
      }
      for (const key of Object.keys(c.expected)) {
        if (!levelIds.includes(key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['competencies', i, 'expected', key],
            message: `"${key}" is not one of the levels (${levelIds.join(', ')})`,
          });
        }
      }
    });
  });

/** A level's track is one of `tracks`; shared levels come before the fork; every track has a level. */
function checkTracks(
  f: { tracks?: { id: string }[] | undefined; levels: { id: string; track?: string | undefined }[] },
  ctx: z.RefinementCtx,
): void {
  const trackIds = (f.tracks ?? []).map((t) => t.id);
  reportDuplicates(ctx, trackIds, (i) => ['tracks', i, 'id'], 'track id');
  let firstOnTrack: string | undefined;
  f.levels.forEach((level, i) => {
    if (level.track === undefined) {
      if (firstOnTrack !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i],
          message: `"${level.id}" has no track but comes after "${firstOnTrack}", which is on one: levels every track shares come first, below the fork (give it a track, or move it up)`,
        });
      }
      return;
    }
    firstOnTrack ??= level.id;
    if (trackIds.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['levels', i, 'track'],
        message: `"${level.track}" names a track, but the framework has no "tracks" list: add one, or leave this out`,
      });
    } else if (!trackIds.includes(level.track)) {
      ctx.addIssue({
        code: 'custom',
        path: ['levels', i, 'track'],
        message: `"${level.track}" is not one of the tracks (${trackIds.join(', ')})`,
      });
    }
  });
  (f.tracks ?? []).forEach((track, i) => {
    if (!f.levels.some((level) => level.track === track.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tracks', i],
        message: `no level is on the track "${track.id}": give at least one level "track: ${track.id}", or remove it`,
      });
    }
  });
}

function reportDuplicates(
  ctx: z.RefinementCtx,
  ids: string[],
  pathOf: (i: number) => (string | number)[],
  what: string,
): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) {
      ctx.addIssue({ code: 'custom', path: pathOf(i), message: `duplicate ${what} "${id}"` });
    }
    seen.add(id);
  });
}

/**
 * The proficiency a competency expects at a level, or undefined when the framework gives none.
 * Level ids are data, and one may be called `constructor`: every read of `expected` goes through
 * here, so it finds only the framework's own fields, never something every object inherits.
 */
export function expectedAt(competency: Pick<Competency, 'expected'>, levelId: string): number | undefined {
  return own(competency.expected, levelId);
}

export type FrameworkFile = z.infer<typeof FrameworkSchema>;
export type ScaleStep = z.infer<typeof ScaleStepSchema>;
export type Level = z.infer<typeof LevelSchema>;
export type Track = z.infer<typeof TrackSchema>;
export type Competency = z.infer<typeof CompetencySchema>;

/** A validated framework, with its id (`role.domain`) and the file it came from. */
export type Framework = FrameworkFile & {
  /** `${role.id}.${domain.id}`, e.g. `solutions-architect.e-commerce`. */
  id: string;
  file: string;
};

export const frameworkId = (f: Pick<FrameworkFile, 'role' | 'domain'>): string =>
  `${f.role.id}.${f.domain.id}`;
