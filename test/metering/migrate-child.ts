/**
 * `migrate-child.ts <dir> <rounds>`: one of several processes racing to open (and migrate) fresh
 * database files. Once loaded it prints `ready`, reads the start time T0 (ms) from stdin, and for
 * round i opens `<dir>/round-<i>.db` at T0 + i × ROUND_MS — the same instant as the other
 * processes — printing one JSON line per round: the tables it sees, or the error it got.
 */
import { createInterface } from 'node:readline';
import { openStorage } from '../../src/storage/sqlite/open.js';

const ROUND_MS = 250;
const [dir, rounds] = process.argv.slice(2) as [string, string];
process.stdout.write('ready\n');
const line = await new Promise<string>((r) => createInterface({ input: process.stdin }).once('line', r));
const t0 = Number(line);
for (let i = 0; i < Number(rounds); i++) {
  const wait = t0 + i * ROUND_MS - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  try {
    const storage = openStorage(`sqlite:${dir}/round-${i}.db`);
    const tables = storage.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    storage.close();
    process.stdout.write(`${JSON.stringify({ round: i, tables: tables.map((t) => t.name) })}\n`);
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ round: i, error: (err as Error).message })}\n`);
  }
}
process.exit(0);
