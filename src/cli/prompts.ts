import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError } from './cli-error.js';
import { clientFor } from './options.js';
import { cell, json, table, write } from './output.js';

interface Listing {
  name: string;
  description?: string;
  model: string;
  latest: string;
  versions: string[];
  teams?: string[];
}

interface Published {
  name: string;
  version: string;
  model: string;
  created: boolean;
}

export function promptsCommand(program: Command): void {
  const prompts = program.command('prompts').description('list the prompts the gateway serves as REST APIs, publish new versions');

  prompts
    .command('list')
    .description('list prompts (latest version, every version, model); files that failed to load are reported on stderr')
    .option('--json', 'print the API response (GET /v1/prompts) as JSON')
    .addHelpText('after', '\nExample:\n  $ tollgate prompts list')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const res = await clientFor(cmd).json<{ data: Listing[]; errors?: { source: string; message: string }[] }>('GET', '/v1/prompts');
      if (o.json) return write(json(res));
      write(
        table(
          [
            { header: 'NAME', value: (p: Listing) => p.name },
            { header: 'LATEST', value: (p) => p.latest },
            { header: 'VERSIONS', value: (p) => p.versions.join(', ') },
            { header: 'MODEL', value: (p) => p.model },
            { header: 'TEAMS', value: (p) => p.teams?.join(',') || 'all' },
            { header: 'DESCRIPTION', value: (p) => p.description },
          ],
          res.data,
        ),
      );
      for (const e of res.errors ?? []) process.stderr.write(`tollgate: prompt error: ${cell(e.source)}: ${cell(e.message)}\n`);
    });

  prompts
    .command('publish')
    .description(
      'publish a prompt file (the prompts/*.md format: YAML front matter + template) as a new version, stored by the gateway and served by every instance. Versions are immutable: the same name@version with other content is refused; the same content again changes nothing',
    )
    .argument('<file>', 'the prompt file')
    .option('--json', 'print the API response as JSON')
    .addHelpText('after', '\nExample:\n  $ tollgate prompts publish prompts/summarize.md\n  published summarize@1.1 (model openai/gpt-4o-mini)')
    .action(async (file: string, o: { json?: boolean }, cmd: Command) => {
      let source: string;
      try {
        source = readFileSync(file, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const res = await clientFor(cmd).json<Published>('POST', '/admin/prompts', { source });
      if (o.json) return write(json(res));
      write(res.created ? `published ${res.name}@${res.version} (model ${res.model})\n` : `${res.name}@${res.version} is already published with this content: nothing changed\n`);
    });
}
