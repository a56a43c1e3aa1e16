import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { interpolate } from './interpolate.js';
import type { ConfigFile } from './schema.js';
import { ConfigError, validateConfig } from './validate.js';

export interface LoadedConfig {
  file: ConfigFile;
  /** Path the config came from, or undefined for built-in defaults. */
  path?: string;
  /** Env variables referenced with `${VAR}` that were unset and had no default. */
  missingEnv: string[];
}

/** `--config PATH`, else `TOLLGATE_CONFIG`, else `./tollgate.yaml` if present, else built-in defaults (docs/contract.md §1). */
export function findConfigPath(argv: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): string | undefined {
  const i = argv.indexOf('--config');
  if (i >= 0 && argv[i + 1]) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith('--config='));
  if (eq) return eq.slice('--config='.length);
  if (env.TOLLGATE_CONFIG) return env.TOLLGATE_CONFIG;
  const local = `${cwd}/tollgate.yaml`;
  return existsSync(local) ? local : undefined;
}

export function loadConfigFile(path: string | undefined, env: NodeJS.ProcessEnv): LoadedConfig {
  if (!path) return { file: {}, missingEnv: [] };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  return parseConfigText(text, env, path);
}

export function parseConfigText(text: string, env: NodeJS.ProcessEnv, path?: string): LoadedConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError([`${path ?? 'config'}: is not valid YAML: ${(err as Error).message.split('\n')[0]}`]);
  }
  const missing = new Set<string>();
  const file = validateConfig(interpolate(raw, env, missing));
  return { file, path, missingEnv: [...missing] };
}
