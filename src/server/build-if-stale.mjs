#!/usr/bin/env node
// `npm start`'s pre-step: rebuild dist/ only when a source file changed since the last build.
// A stamp in dist/ holds a digest of every build input's path, size and mtime (so edits, new files
// and deletions all count); comparing it costs a few milliseconds, a no-op `tsc` costs seconds.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const inputs = ['src', 'providers', 'bench', 'test/mocks', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
const stampPath = join(root, 'dist', '.build-stamp');

function walk(rel, hash) {
  const abs = join(root, rel);
  if (!existsSync(abs)) return;
  const st = statSync(abs);
  if (st.isDirectory()) {
    for (const name of readdirSync(abs).sort()) if (name !== 'node_modules') walk(join(rel, name), hash);
  } else {
    hash.update(`${rel}\0${st.size}\0${st.mtimeMs}\n`);
  }
}

export function sourceDigest() {
  const hash = createHash('sha256');
  for (const rel of inputs) walk(rel, hash);
  return hash.digest('hex');
}

const digest = sourceDigest();
const current = existsSync(stampPath) && readFileSync(stampPath, 'utf8') === digest && existsSync(join(root, 'dist/src/server/main.js'));
if (current && !process.argv.includes('--force')) {
  process.exit(0);
}
console.error('tollgate: building (sources changed since the last build)…');
const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
writeFileSync(stampPath, digest);
