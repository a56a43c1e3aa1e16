import { getPreset, openAICompatiblePresets } from '../../providers/openai-compatible/presets.js';
import { providerTypes, typeOfPreset } from '../../providers/registry.js';
import type { ProviderRuntime } from '../engine/runtime.js';
import { createDispatcher } from '../engine/transport.js';
import { interpolateString } from './interpolate.js';
import type { ProviderEntry } from './schema.js';
import { redactionList, secretHeaderValues, urlPassword } from './secret-values.js';

const DEFAULT_TIMEOUT_MS = 600_000;
/** Entry fields every type has; the rest are the type's own options (providers/registry.ts). */
const COMMON_FIELDS = new Set(['type', 'preset', 'base_url', 'api_key', 'headers', 'timeout_ms', 'max_retries']);

/** One `providers.<name>` entry → the provider every request uses; throws with the reason when it cannot be built. */
export function buildProvider(name: string, entry: ProviderEntry, env: NodeJS.ProcessEnv): ProviderRuntime {
  const type = providerTypes[entry.type];
  if (!type) throw new Error(`unknown provider type "${entry.type}"`);
  const presetName = type.preset === 'by-name' ? (entry.preset ?? (getPreset(name) ? name : undefined)) : type.preset;
  const preset = presetName ? getPreset(presetName) : undefined;
  if (entry.preset && !preset) {
    throw new Error(`preset "${entry.preset}" is not known (known: ${Object.keys(openAICompatiblePresets).join(', ')})`);
  }
  const rawBase = entry.base_url ?? (preset && interpolateString(preset.baseUrl, env)) ?? type.defaultBaseUrl;
  if (!rawBase) throw new Error(`base_url is required for an ${entry.type} provider without a preset`);
  const apiKey = entry.api_key || (preset?.envKey ? env[preset.envKey] : undefined) || undefined;
  const timeoutMs = entry.timeout_ms ?? DEFAULT_TIMEOUT_MS;
  const options: Record<string, unknown> = {
    ...(preset && { auth: preset.auth }),
    ...(preset?.deploymentInPath && { deployment_in_path: true }),
    ...(preset?.defaultApiVersion && { api_version: preset.defaultApiVersion }),
    ...(preset?.rerank && { rerank_path: preset.rerank.path, rerank_format: preset.rerank.format }),
  };
  // The entry's own options, as configured ('' = not set).
  for (const [key, value] of Object.entries(entry)) if (!COMMON_FIELDS.has(key) && value !== undefined && value !== '') options[key] = value;
  const resolved = type.resolveOptions ? type.resolveOptions(options, env) : options;
  const priceRegion = type.priceRegion?.(resolved, env);
  const headers = Object.freeze({ ...(entry.headers ?? {}) });
  const baseUrl = rawBase.replace(/\/+$/, '');
  return {
    config: Object.freeze({
      name,
      type: entry.type,
      baseUrl,
      ...(apiKey && { apiKey }),
      headers,
      options: Object.freeze(resolved),
    }),
    adapter: type.adapter,
    dispatcher: createDispatcher(timeoutMs),
    timeoutMs,
    maxRetries: entry.max_retries ?? 0,
    catalogProvider: type.catalogName ?? preset?.catalogProvider ?? presetName ?? name,
    ...(priceRegion && { priceRegion }),
    // A configured credential header (`x-org-token`, a proxy's own auth) is as secret as the key.
    secrets: redactionList([apiKey ?? '', ...secretHeaderValues(headers), urlPassword(baseUrl), ...(type.secretOptions ?? []).map((k) => String(resolved[k] ?? ''))]),
  };
}

function accountVarsSet(url: string, env: NodeJS.ProcessEnv): boolean {
  const missing = new Set<string>();
  interpolateString(url, env, missing);
  return missing.size === 0;
}

/**
 * No `providers:` in config: every provider whose usual key variable is set is configured
 * (`OPENAI_API_KEY=… npm start` just works); local servers when their base-URL variable is set.
 */
export function providersFromEnv(env: NodeJS.ProcessEnv): Record<string, ProviderEntry> {
  const out: Record<string, ProviderEntry> = {};
  for (const [name, preset] of Object.entries(openAICompatiblePresets)) {
    const p = preset as { envKey?: string; envBaseUrl?: string };
    const key = p.envKey ? env[p.envKey] : undefined;
    const base = p.envBaseUrl ? env[p.envBaseUrl] : undefined;
    if (!key && !base) continue;
    // A host whose URL names the account (`${AZURE_OPENAI_RESOURCE}`…) needs that variable too.
    if (!base && !accountVarsSet(preset.baseUrl, env)) continue;
    out[name] = { type: typeOfPreset(name), ...(base && { base_url: base.replace(/\/+$/, '') }) };
  }
  for (const [type, t] of Object.entries(providerTypes)) {
    const key = t.envKeys?.map((k) => env[k]).find(Boolean);
    if (key) out[type] = { type, api_key: key };
  }
  return out;
}
