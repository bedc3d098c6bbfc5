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

export const ScaleStepSchema = z.object({
  value: z.number().int().min(1).max(5),
  label: z.string().trim().min(1).max(30),
  description: z.string().trim().min(1).max(200),
});

export const LevelSchema = z.object({
  id: slug,
  name,
  aliases,
  summary: z.string().trim().min(1).max(600).optional(),
});

export const CompetencySchema = z.object({
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
    /** Ordered from the most junior to the most senior. */
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
export type Competency = z.infer<typeof CompetencySchema>;

/** A validated framework, with its id (`role.domain`) and the file it came from. */
export type Framework = FrameworkFile & {
  /** `${role.id}.${domain.id}`, e.g. `solutions-architect.e-commerce`. */
  id: string;
  file: string;
};

export const frameworkId = (f: Pick<FrameworkFile, 'role' | 'domain'>): string =>
  `${f.role.id}.${f.domain.id}`;
