import { z } from 'zod';
import { FrameworkSchema } from './schema.js';

/**
 * The JSON Schema of a framework file, generated from the zod schema, for editor completion
 * and checks while typing (see the `yaml-language-server` comment at the top of each YAML file).
 * It describes the input (what is written in the file): aliases may be left out, for example.
 */
export function frameworkJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(FrameworkSchema, {
    io: 'input',
    target: 'draft-07',
    override: (ctx) => {
      // The loader refuses fields it does not know (usually typos), so editors should flag them too.
      if (ctx.zodSchema._zod.def.type === 'object') ctx.jsonSchema.additionalProperties = false;
    },
  });
  // A deep copy, so the descriptions below land on one place only even where zod shares a sub-schema.
  const { $schema, ...rest } = JSON.parse(JSON.stringify(generated)) as Record<string, unknown>;
  const schema: Record<string, unknown> = {
    $schema,
    $id: 'framework.schema.json',
    title: 'Competency framework',
    description:
      'One role in one domain: its levels, the 1–5 proficiency scale, and the competencies with the level expected at each career level. Generated from src/frameworks/schema.ts by `npm run frameworks:schema`; do not edit by hand.',
    ...rest,
  };
  describe(schema, ['role'], 'The job this framework is about.');
  describe(schema, ['role', 'id'], 'Lower-case id typed after /competency, e.g. solutions-architect.');
  describe(schema, ['role', 'aliases'], 'Other names people may type for this role, e.g. sa.');
  describe(schema, ['domain'], 'The industry or area this framework is written for.');
  describe(
    schema,
    ['version'],
    'Change it whenever competencies or expected levels change, so older ratings are not misread.',
  );
  describe(schema, ['source'], 'Where the facts in this file come from.');
  describe(schema, ['scale'], 'The proficiency scale: the values 1 to 5, in order, each with a label.');
  describe(schema, ['levels'], 'Career levels, from the most junior to the most senior.');
  describe(schema, ['competencies'], 'The competencies of this role, at most 24.');
  describe(
    schema,
    ['source', 'url'],
    'A web page about the source, starting with https:// or http://; shown as a link under each answer.',
  );
  // zod's JSON Schema says only "uri" here: the pattern lets editors refuse javascript:, data: and the like too.
  withPattern(schema, ['source', 'url'], '^[Hh][Tt][Tt][Pp][Ss]?://');
  describe(schema, ['competencies', '[]', 'tier'], 'primary for the core skills, supporting for the others.');
  describe(
    schema,
    ['competencies', '[]', 'expected'],
    'The proficiency (1–5) expected at each level, keyed by level id; every level needs one.',
  );
  return schema;
}

/** The schema as it is stored in frameworks/framework.schema.json. */
export function frameworkJsonSchemaText(): string {
  return `${JSON.stringify(frameworkJsonSchema(), null, 2)}\n`;
}

/** Adds a pattern to a text property, following `properties`. */
function withPattern(schema: Record<string, unknown>, at: string[], pattern: string): void {
  let node: unknown = schema;
  for (const segment of at)
    node = (node as { properties?: Record<string, unknown> } | undefined)?.properties?.[segment];
  if (node && typeof node === 'object') (node as Record<string, unknown>).pattern = pattern;
}

/** Sets a description on a property, following `properties` (and `items` for `[]`). */
function describe(schema: Record<string, unknown>, at: string[], description: string): void {
  let node: unknown = schema;
  for (const segment of at) {
    const parent = node as { properties?: Record<string, unknown>; items?: unknown } | undefined;
    node = segment === '[]' ? parent?.items : parent?.properties?.[segment];
  }
  if (node && typeof node === 'object') {
    // Put the description first, where it is easiest to read in the generated file.
    const copy = { ...(node as Record<string, unknown>) };
    for (const key of Object.keys(copy)) delete (node as Record<string, unknown>)[key];
    Object.assign(node, { description }, copy);
  }
}
