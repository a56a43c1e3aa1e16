import { run } from './program.js';

// `tollgate` (package.json "bin" → dist/cli.mjs, bundled from this file by npm run build).
// Piped into `head`: a closed stdout ends the program quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});
process.on('SIGINT', () => process.exit(0));
const code = await run(process.argv);
// Node's HTTP agent keeps the connection alive for reuse, which would hold the process open past
// the answer: exit as soon as what was written is flushed.
process.stdout.write('', () => process.exit(code));
