import { loadConfigFile } from '../config/load.js';
import { buildSnapshot } from '../config/snapshot.js';
import { ConfigError } from '../config/validate.js';

export interface CheckResult {
  /** Every problem, `path: message` — empty when the file is valid. */
  problems: string[];
  warnings: string[];
  summary: string;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The gateway's own start-up path (load → validate → snapshot), without starting anything. */
export function checkConfig(path: string, env: NodeJS.ProcessEnv): CheckResult {
  try {
    const loaded = loadConfigFile(path, env);
    const s = buildSnapshot(loaded, env);
    // The mock provider is always added; count what the file configures.
    const providers = Object.keys(loaded.file.providers ?? {}).length || s.providers.size - 1;
    const summary = [count(providers, 'provider', 'providers'), count(s.aliases.size, 'model alias', 'model aliases'), count(loaded.file.routes?.length ?? 0, 'route', 'routes')].join(', ');
    return { problems: [], warnings: [...s.warnings], summary };
  } catch (err) {
    if (err instanceof ConfigError) return { problems: err.problems, warnings: [], summary: '' };
    throw err;
  }
}
