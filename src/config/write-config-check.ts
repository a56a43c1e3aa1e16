// Build step (after tsc): writes the config validator as standalone code beside validate.js
// (dist/src/config/config-check.generated.cjs), so a start does not compile the schema.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configCheckSource } from './config-check.js';

writeFileSync(fileURLToPath(new URL('./config-check.generated.cjs', import.meta.url)), configCheckSource());
