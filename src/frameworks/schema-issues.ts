import { z } from 'zod';
import type { Path } from './problems.js';
import { FrameworkSchema } from './schema.js';
import { editDistance } from './text-match.js';

/**
 * Schema mistakes in plain words: what a field expects and what was found instead ("expected a whole
 * number from 1 to 5, found \"4\" (remove the quotes)"), and the fields the schema does not know,
 * which zod would drop without a word (most are typos: "did you mean …?").
 */

type Issue = z.core.$ZodIssue;
type Schema = z.core.$ZodType;

/** One schema issue in plain words; `found` is the value the file has at the issue's field. */
export function explainIssue(issue: Issue, found: unknown): string {
  const schema = schemaAt(FrameworkSchema, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (found === undefined) return 'required field is missing';
      if (issue.path.length === 0)
        return `expected a framework (role, domain, version, ...), found ${show(found)}`;
      return `expected ${expectation(schema, issue.expected)}, found ${show(found)}${hint(schema, found)}`;

    case 'too_small':
    case 'too_big':
      return explainSize(issue, schema, found);

    case 'invalid_format':
      if (issue.format === 'regex') return `expected ${issue.message}, found ${show(found)}`;
      if (issue.format === 'date') return `expected a date written as YYYY-MM-DD, found ${show(found)}`;
      if (issue.format === 'url')
        return `expected a web address starting with https:// or http://, such as https://example.com, found ${show(found)}`;
      return `expected text in ${issue.format} format, found ${show(found)}`;

    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => String(v)).join(', ')}, found ${show(found)}`;

    case 'invalid_key': {
      const key = String(issue.path[issue.path.length - 1]);
      const reason = issue.issues[0]?.message ?? 'a valid key';
      return `the key "${key}" is not valid: expected ${reason}`;
    }

    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}`;

    default:
      // Our own checks (custom issues) already speak plainly.
      return issue.message;
  }
}

function explainSize(
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  schema: Schema | undefined,
  found: unknown,
) {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  if (typeof found === 'string') {
    if (small && limit <= 1) return 'must not be empty';
    const length = found.trim().length;
    return small
      ? `expected at least ${limit} characters, found ${length}`
      : `expected at most ${limit} characters, found ${length}: please shorten it`;
  }
  if (Array.isArray(found)) {
    const items = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;
    if (issue.exact) return `expected exactly ${items(limit)}, found ${found.length}`;
    return small
      ? `expected at least ${items(limit)}, found ${found.length}`
      : `expected at most ${items(limit)}, found ${found.length}`;
  }
  return `expected ${expectation(schema, 'number')}, found ${show(found)}`;
}

/** What a field expects, in words: "a whole number from 1 to 5", "text", "a list". */
function expectation(schema: Schema | undefined, fallback: string): string {
  if (schema instanceof z.ZodNumber) {
    const kind = schema.isInt ? 'a whole number' : 'a number';
    const { minValue: min, maxValue: max } = schema;
    if (min !== null && max !== null && Number.isFinite(min) && Number.isFinite(max)) {
      return `${kind} from ${min} to ${max}`;
    }
    return kind;
  }
  if (schema instanceof z.ZodString) return 'text';
  if (schema instanceof z.ZodEnum) return `one of ${schema.options.join(', ')}`;
  if (schema instanceof z.ZodArray) return 'a list';
  if (schema instanceof z.ZodObject) return 'a group of fields (name: value lines)';
  if (schema instanceof z.ZodRecord) return 'a group of "key: value" lines';
  switch (fallback) {
    case 'string':
      return 'text';
    case 'int':
      return 'a whole number';
    case 'array':
      return 'a list';
    case 'object':
      return 'a group of fields';
    default:
      return `a ${fallback}`;
  }
}

/** A short extra tip for the most common YAML type slips. */
function hint(schema: Schema | undefined, found: unknown): string {
  if (schema instanceof z.ZodString && (typeof found === 'number' || typeof found === 'boolean')) {
    return ' (put it in quotes to make it text)';
  }
  if (schema instanceof z.ZodNumber && typeof found === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(found)) {
    return ' (remove the quotes)';
  }
  return '';
}

/** A value as it would read in a message. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a group of fields';
  return String(value);
}

/** Skips the wrappers that do not change what a value must look like. */
function unwrap(schema: Schema | undefined): Schema | undefined {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap();
  return s;
}

/** The schema of the field at `at`, when there is one. */
function schemaAt(root: Schema, at: Path): Schema | undefined {
  let schema: Schema | undefined = root;
  for (const segment of at) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = schema.shape[String(segment)];
    else if (schema instanceof z.ZodArray) schema = schema.element;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType;
    else return undefined;
  }
  return unwrap(schema);
}

/** Fields the schema does not know about: zod would drop them silently, and they are usually typos. */
export function unknownFields(
  schema: Schema | undefined,
  data: unknown,
  at: PropertyKey[],
): { path: Path; message: string }[] {
  const s = unwrap(schema);
  const found: { path: Path; message: string }[] = [];
  if (s instanceof z.ZodObject && isPlainObject(data)) {
    const known = Object.keys(s.shape);
    for (const [key, value] of Object.entries(data)) {
      if (known.includes(key)) {
        found.push(...unknownFields(s.shape[key], value, [...at, key]));
        continue;
      }
      const near = known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase(), 2) <= 2);
      const advice = near ? `did you mean "${near}"?` : `the fields here are: ${known.join(', ')}`;
      found.push({ path: [...at, key], message: `unknown field "${key}" (${advice})` });
    }
  } else if (s instanceof z.ZodArray && Array.isArray(data)) {
    data.forEach((item, i) => {
      found.push(...unknownFields(s.element, item, [...at, i]));
    });
  } else if (s instanceof z.ZodRecord && isPlainObject(data)) {
    for (const [key, value] of Object.entries(data)) {
      if (key === '__proto__') {
        // YAML keeps `__proto__:` as an ordinary key, but zod leaves it out of a record without a word.
        const rule = z.safeParse(s.keyType, key).error?.issues[0]?.message ?? 'another name';
        found.push({ path: [...at, key], message: `the key "${key}" is not valid: expected ${rule}` });
        continue;
      }
      found.push(...unknownFields(s.valueType, value, [...at, key]));
    }
  }
  return found;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
