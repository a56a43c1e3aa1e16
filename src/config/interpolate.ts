/**
 * `${VAR}` and `${VAR:-default}` in every string of the config (docs/contract.md §1). An unset variable
 * without a default becomes an empty string — so `api_key: "${OPENAI_API_KEY}"` simply leaves
 * the provider keyless when the variable is absent — and is reported by name so the loader can
 * say which variables were missing.
 */
const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function interpolateString(s: string, env: NodeJS.ProcessEnv, missing?: Set<string>): string {
  return s.replace(PATTERN, (_m, name: string, def: string | undefined) => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (def !== undefined) return def;
    missing?.add(name);
    return '';
  });
}

export function interpolate<T>(value: T, env: NodeJS.ProcessEnv, missing?: Set<string>): T {
  if (typeof value === 'string') return interpolateString(value, env, missing) as T;
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env, missing)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolate(v, env, missing);
    return out as T;
  }
  return value;
}
