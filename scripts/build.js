#!/usr/bin/env node
// `npm run build`: compiles src/ to plain JavaScript in dist/ (tsconfig.build.json), and copies beside it
// the files the app reads by path at run time (every file under src/ that is not TypeScript: the sandbox
// page, the PostgreSQL migrations). `node scripts/build.js <folder>` builds into another folder, whose
// parent must hold frameworks/ and package.json as the project folder does (the tests use it).
// Plain JavaScript, no dependencies beyond TypeScript itself.

import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const src = path.join(root, 'src');
const out = path.resolve(process.argv[2] ?? path.join(root, 'dist'));

const inside = (parent, child) => !path.relative(parent, child).startsWith('..');
if (inside(out, root) || inside(src, out)) {
  process.stderr.write(`Refusing to build into ${out}: it would replace the project's own files.\n`);
  process.exit(2);
}

// A clean folder each time: nothing left over from a file that was renamed or deleted.
rmSync(out, { recursive: true, force: true });

const tsc = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', out],
  { cwd: root, stdio: 'inherit' },
);
if (tsc.error) {
  process.stderr.write(
    `Could not run the TypeScript compiler (${tsc.error.message}); run \`npm install\` first.\n`,
  );
  process.exit(1);
}
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

let copied = 0;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
  const from = path.join(entry.parentPath ?? entry.path, entry.name);
  cpSync(from, path.join(out, path.relative(src, from)));
  copied++;
}
process.stdout.write(
  `Built ${path.relative(process.cwd(), out) || '.'}: compiled src/, copied ${copied} other file(s).\n`,
);
