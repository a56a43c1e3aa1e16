// `npm run docs:config`: writes docs/configuration.md from the config schema and its notes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderReference } from './reference.js';

const target = fileURLToPath(new URL('../../docs/configuration.md', import.meta.url));
writeFileSync(target, renderReference());
process.stdout.write(`wrote ${target}\n`);
