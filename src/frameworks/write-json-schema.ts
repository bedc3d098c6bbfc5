import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { frameworkJsonSchemaText } from './json-schema.js';
import { BUNDLED_FRAMEWORKS_DIR } from './loader.js';
import { displayPath } from './problems.js';

/** `npm run frameworks:schema`: writes frameworks/framework.schema.json from the zod schema. */
const target = path.join(BUNDLED_FRAMEWORKS_DIR, 'framework.schema.json');
await writeFile(target, frameworkJsonSchemaText());
console.log(`Wrote ${displayPath(target)}`);
