#!/usr/bin/env node
// `npm start`: build dist/ if a source changed since the last build, then run the gateway (the
// one-file bundle dist/tollgate.mjs, same code as dist/src/server/main.js) — in one process (a
// separate `prestart` step cost a second node boot and a shell, ~150 ms).
import { ensureBuilt } from './build-if-stale.mjs';

if (!ensureBuilt()) process.exit(1);
await import('../../dist/tollgate.mjs');
