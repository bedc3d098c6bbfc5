import { z } from 'zod';

/**
 * What buttons carry, kept small and checked with zod when clicked: a click can be forged or stale,
 * so a value that does not parse is refused and nothing is written. Values never name a person:
 * the person is always whoever clicked.
 */

const id = z.string().min(1).max(130);

export const StartValue = z.object({
  /** framework id */
  f: id,
  /** level id */
  l: id,
  /** start over at the first competency */
  r: z.literal(1).optional(),
});
export type StartValue = z.infer<typeof StartValue>;

export const AnswerValue = z.object({
  f: id,
  /** framework version the step was shown with */
  v: z.string().min(1).max(40),
  /** session id of the run */
  s: z.string().min(1).max(40),
  /** competency id */
  c: id,
  /** the choice */
  a: z.union([z.literal([1, 2, 3, 4, 5]), z.enum(['na', 'skip', 'back'])]),
});
export type AnswerValue = z.infer<typeof AnswerValue>;

export const encodeValue = (value: StartValue | AnswerValue): string => JSON.stringify(value);

/** The parsed value, or undefined when the button did not carry what it should. */
export function decodeValue<T>(schema: z.ZodType<T>, raw: string | undefined): T | undefined {
  if (raw === undefined || raw.length > 2000) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
