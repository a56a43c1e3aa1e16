import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Option, type Command } from 'commander';
import { CliError } from './cli-error.js';
import { write } from './output.js';

interface DbOptions {
  databaseUrl: string;
}

const DEFAULT_DB = 'sqlite:./data/tollgate.db';

/** The storage modules (drizzle, the drivers) load only for these commands. */
async function open(url: string) {
  const { openUrl, safeUrl } = await import('../storage/transfer/open-url.js');
  try {
    return { db: await openUrl(url), where: safeUrl(url) };
  } catch (err) {
    throw new CliError(`${safeUrl(url)}: ${(err as Error).message}`);
  }
}

const summary = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');

/** Lines written to a file or stdout, waiting when the stream asks to (millions of rows). */
function lineWriter(out: WriteStream | NodeJS.WriteStream) {
  return (line: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.write(line + '\n')) return resolve();
      out.once('drain', resolve);
      out.once('error', reject);
    });
}

export function dbCommand(program: Command): void {
  const db = program
    .command('db')
    .description('the database itself, offline: migrate it, export it, import an export (SQLite → PostgreSQL); no gateway needed')
    .addOption(new Option('--database-url <url>', 'the database: sqlite:PATH or postgres://…').env('TOLLGATE_DATABASE_URL').default(DEFAULT_DB))
    .addHelpText(
      'after',
      '\nEnvironment:\n  TOLLGATE_DATABASE_URL   the database (--database-url wins)\n\nExamples:\n  $ tollgate db --database-url postgres://tollgate:…@db/tollgate migrate\n  $ tollgate db --database-url sqlite:./data/tollgate.db export --out tollgate.jsonl\n  $ tollgate db --database-url postgres://tollgate:…@db/tollgate import tollgate.jsonl',
    );
  db.command('migrate')
    .description('apply the migrations the database lacks (PostgreSQL: under the advisory lock the gateways take at start)')
    .addHelpText('after', '\nExamples:\n  $ TOLLGATE_DATABASE_URL=postgres://tollgate:…@db/tollgate tollgate db migrate\n  postgres://tollgate:***@db/tollgate: migrated')
    .action(async () => {
      const { db: opened, where } = await open((db.opts() as DbOptions).databaseUrl);
      await opened.close();
      write(`${where}: migrated\n`);
    });
  db.command('export')
    .description('write every table (teams, keys as hashes, prompt versions, audit log, usage records, daily roll-up, sessions, request logs…) as JSON lines')
    .option('--out <file>', 'write to this file (default: stdout)')
    .addHelpText('after', '\nExamples:\n  $ tollgate db --database-url sqlite:./data/tollgate.db export --out tollgate.jsonl\n  sqlite:./data/tollgate.db: exported teams 3, api_keys 7, …, usage_records 120455, usage_daily 2210')
    .action(async (o: { out?: string }) => {
      const { exportDb } = await import('../storage/transfer/export.js');
      const { db: opened, where } = await open((db.opts() as DbOptions).databaseUrl);
      const out = o.out ? createWriteStream(o.out) : process.stdout;
      try {
        const counts = await exportDb(opened, lineWriter(out));
        process.stderr.write(`${where}: exported ${summary(counts)}\n`);
      } finally {
        await opened.close();
        if (o.out) await new Promise((r) => (out as WriteStream).end(r));
      }
    });
  db.command('import')
    .description('load an export into this database (migrated first); rows already there are left as they are, so running it again changes nothing')
    .argument('<file>', "the export (`-`: stdin)")
    .addHelpText('after', '\nExamples:\n  $ tollgate db --database-url sqlite:./data/tollgate.db export | tollgate db --database-url postgres://tollgate:…@db/tollgate import -')
    .action(async (file: string) => {
      const { importDb, ImportError } = await import('../storage/transfer/import.js');
      const { db: opened, where } = await open((db.opts() as DbOptions).databaseUrl);
      const input = file === '-' ? process.stdin : createReadStream(file);
      try {
        const counts = await importDb(opened, createInterface({ input, crlfDelay: Infinity }));
        write(`${where}: imported ${summary(counts)}\n`);
      } catch (err) {
        if (err instanceof ImportError || (err as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`${file}: ${(err as Error).message}`);
        throw err;
      } finally {
        await opened.close();
      }
    });
}
