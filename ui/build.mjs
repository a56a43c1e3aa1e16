#!/usr/bin/env node
// The console's build: ui/ (Vite + Preact + uPlot, TypeScript) → dist/ui, served by the gateway at
// /ui (src/server/routes/ui.ts). `npm run build` runs this (src/server/build-if-stale.mjs); the
// browser tests call buildUi() into a temporary directory. Prints the gzipped size and fails above
// the 300 KB budget.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

export const UI_ROOT = fileURLToPath(new URL('.', import.meta.url));
export const BUDGET_GZIP_BYTES = 300 * 1024;

/** The Vite config (shared with ui/vite.config.mjs for `npx vite ui`). */
export async function uiConfig(outDir) {
  const { default: preact } = await import('@preact/preset-vite');
  return {
    root: UI_ROOT,
    base: '/ui/',
    plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      sourcemap: false,
      target: 'es2022',
      // No inline polyfill script: the page runs under a CSP without 'unsafe-inline'.
      modulePreload: { polyfill: false },
      assetsInlineLimit: 0,
      reportCompressedSize: false,
    },
  };
}

/** Builds into outDir; returns every file with its raw and gzipped size, and the gzipped total. */
export async function buildUi(outDir, { quiet = false } = {}) {
  const { build } = await import('vite');
  await build({ ...(await uiConfig(outDir)), configFile: false, ...(quiet && { logLevel: 'error' }) });
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else {
        const body = readFileSync(abs);
        files.push({ path: relative(outDir, abs), bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length });
      }
    }
  };
  walk(outDir);
  const gzipBytes = files.reduce((n, f) => n + f.gzipBytes, 0);
  return { files, gzipBytes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outDir = process.argv[2] ?? fileURLToPath(new URL('../dist/ui', import.meta.url));
  const t0 = performance.now();
  const { files, gzipBytes } = await buildUi(outDir);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  for (const f of files) console.error(`  ui: ${f.path.padEnd(36)} ${kb(f.bytes).padStart(9)}  gzip ${kb(f.gzipBytes).padStart(8)}`);
  console.error(`tollgate: console built into ${relative(process.cwd(), outDir) || outDir} in ${Math.round(performance.now() - t0)} ms — ${kb(gzipBytes)} gzipped (budget ${kb(BUDGET_GZIP_BYTES)})`);
  if (gzipBytes > BUDGET_GZIP_BYTES) {
    console.error(`tollgate: the console is over its size budget (${kb(gzipBytes)} > ${kb(BUDGET_GZIP_BYTES)} gzipped)`);
    process.exit(1);
  }
}
