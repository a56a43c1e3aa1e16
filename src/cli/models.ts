import type { Command } from 'commander';
import { clientFor } from './options.js';
import { json, table, write } from './output.js';

interface Model {
  id: string;
  owned_by: string;
}

export function modelsCommand(program: Command): void {
  program
    .command('models')
    .description('list the models the gateway serves (aliases and every catalogued model of a configured provider), optionally only those matching a search')
    .argument('[search]', 'case-insensitive text the model id must contain')
    .option('--json', 'print the matching models as JSON ({"data": [...]})')
    .addHelpText('after', '\nExamples:\n  $ tollgate models\n  $ tollgate models gpt-4o\n  $ tollgate models anthropic/ --json')
    .action(async (search: string | undefined, o: { json?: boolean }, cmd: Command) => {
      const { data } = await clientFor(cmd).json<{ data: Model[] }>('GET', '/v1/models');
      const needle = search?.toLowerCase();
      const hits = needle ? data.filter((m) => m.id.toLowerCase().includes(needle)) : data;
      if (o.json) return write(json({ data: hits }));
      if (!hits.length) return void process.stderr.write(search ? `tollgate: no model matches "${search}"\n` : 'tollgate: the gateway lists no models\n');
      write(table([{ header: 'MODEL', value: (m: Model) => m.id }, { header: 'OWNED BY', value: (m) => m.owned_by }], hits));
    });
}
