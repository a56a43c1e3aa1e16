#!/usr/bin/env node
// Rebuild dist/ only when a source file changed since the last build (`npm run build` forces it).
// A stamp in dist/ holds a digest of every build input's path, size and mtime (so edits, new files
// and deletions all count); comparing it costs a few milliseconds, a no-op `tsc` costs seconds.
// `npm start` runs this check in its own process (./run.mjs), not as a separate npm pre-step.
import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { cliBundleOptions, gatewayBundleOptions } from './bundle-options.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const inputs = ['src', 'providers', 'bench', 'test/mocks', 'ui', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
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

/** Builds dist/ when it is missing or older than the sources (or always, with force). Returns false when the build failed. */
export function ensureBuilt({ force = false } = {}) {
  const digest = sourceDigest();
  const current = existsSync(stampPath) && readFileSync(stampPath, 'utf8') === digest && existsSync(join(root, 'dist/src/server/main.js')) && existsSync(join(root, 'dist/ui/index.html'));
  if (current && !force) return true;
  console.error('tollgate: building (sources changed since the last build)…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) return false;
  // The config validator as standalone code, so a start loads it instead of compiling the schema.
  const g = spawnSync(process.execPath, [join(root, 'dist/src/config/write-config-check.js')], { stdio: 'inherit' });
  if (g.status !== 0) return false;
  if (!bundle()) return false;
  if (!buildConsole()) return false;
  writeFileSync(stampPath, digest);
  return true;
}

/**
 * dist/tollgate.mjs: the gateway as one ES module (esbuild), what `npm start` and the Docker image
 * run. Loading ~900 small files one by one (fastify, undici, TypeBox, drizzle and ours) cost ~300 ms
 * of every start; one file parses in a fraction of that. Left outside: the native SQLite binding,
 * packages loaded lazily or by path at run time (ioredis, pino and its transports, the Swagger UI's
 * static files), and every createRequire() call (liquidjs, tiktoken, the config validator), which
 * load from node_modules as before.
 * dist/cli.mjs (+ dist/cli-chunks/): the `tollgate` command (package.json `bin`), executable.
 * The options of both are in ./bundle-options.mjs, shared with the CLI's tests.
 */
function bundle() {
  const esbuild = createRequire(import.meta.url)('esbuild');
  try {
    esbuild.buildSync(gatewayBundleOptions(join(root, 'dist/src/server/main.js'), join(root, 'dist/tollgate.mjs')));
    asciiOnly(join(root, 'dist/tollgate.mjs'));
    // Chunk names carry a content hash: drop the previous build's.
    rmSync(join(root, 'dist/cli-chunks'), { recursive: true, force: true });
    esbuild.buildSync(cliBundleOptions(join(root, 'dist/src/cli/main.js'), join(root, 'dist')));
    chmodSync(join(root, 'dist/cli.mjs'), 0o755);
    return true;
  } catch {
    return false; // esbuild printed why
  }
}

/**
 * V8 keeps a module's source text in memory while the module runs: one byte a character when
 * every character is Latin-1, two otherwise. esbuild escapes non-ASCII characters in code but
 * keeps the comments it carries over as written, and ~50 of them (’ — § …) made the gateway
 * bundle's 5.4 MB of source take 10.9 MB of heap. Escaped (a comment's text only changes
 * spelling; elsewhere `\uXXXX` means the same character), it takes 5.4 MB. Line and paragraph
 * separators stay: in a comment they end a line.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
}

/**
 * dist/ui: the console (ui/, Vite + Preact + uPlot), served at /ui. Its own process: Vite is
 * asynchronous and this build is not; ui/build.mjs prints each file's gzipped size and fails
 * above the 300 KB budget.
 */
function buildConsole() {
  const r = spawnSync(process.execPath, [join(root, 'ui/build.mjs'), join(root, 'dist/ui')], { stdio: 'inherit' });
  return r.status === 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(ensureBuilt({ force: process.argv.includes('--force') }) ? 0 : 1);
}
