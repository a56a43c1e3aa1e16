import type { Command } from 'commander';
import { write } from './output.js';

export function configCommand(program: Command): void {
  const config = program.command('config').description('work with config files offline (no gateway needed)');
  config
    .command('check')
    .description(
      'validate a config file exactly as the gateway does at start (schema, ${VAR} interpolation from this environment, providers, aliases, routes…) and print every problem with its path. Exit 0 when valid, 1 when not',
    )
    .argument('<file>', 'the YAML config file')
    .addHelpText('after', '\nExamples:\n  $ tollgate config check tollgate.yaml\n  tollgate.yaml: valid (3 providers, 2 model aliases, 1 route)\n\n  $ tollgate config check broken.yaml\n  broken.yaml: 2 problems\n    providers.groq.base_url: must be a URL\n    server.port: must be <= 65535')
    .action(async (file: string) => {
      // The config modules (YAML, the validator, the provider registry) load only for this command.
      const { checkConfig } = await import('./check-config.js');
      const r = checkConfig(file, process.env);
      for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
      if (r.problems.length) {
        process.stderr.write(`${file}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}\n${r.problems.map((p) => `  ${p}\n`).join('')}`);
        process.exitCode = 1;
        return;
      }
      write(`${file}: valid (${r.summary})\n`);
    });
}
