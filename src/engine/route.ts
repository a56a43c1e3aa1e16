import { invalidRequest, modelNotFound } from './errors.js';
import type { Alias, AliasTarget, Snapshot } from './runtime.js';

export interface Route {
  /** What the client asked for, as given. */
  requested: string;
  alias?: string;
  strategy: 'fallback' | 'round-robin' | 'weighted' | 'least-latency' | 'cheapest';
  /** As configured; the strategy orders them per request (./strategy.ts). */
  targets: AliasTarget[];
  cacheTtlS?: number;
  cooldown?: Alias['cooldown'];
  contextWindowFallback?: boolean;
}

/**
 * What a client-chosen `<provider>/<model>` model part may not hold: some adapters put the model
 * in the upstream URL's path (Gemini, Azure) or a header, where these would change the request.
 */
const UNSAFE_MODEL = /[\u0000-\u001f\u007f?#%\\]|(?:^|\/)\.{1,2}(?:\/|$)/;

/**
 * Model name → targets (SPEC §3): an alias first; then `<provider>/<model>` for a configured
 * provider (the model part may itself contain slashes); then a bare name through the catalog
 * (`gpt-4o` → the provider configured for openai).
 */
export function resolveRoute(snapshot: Snapshot, requested: string): Route {
  const alias = snapshot.aliases.get(requested);
  if (alias) {
    return {
      requested,
      alias: alias.name,
      strategy: alias.strategy,
      targets: alias.targets,
      ...(alias.cacheTtlS && { cacheTtlS: alias.cacheTtlS }),
      ...(alias.cooldown && { cooldown: alias.cooldown }),
      contextWindowFallback: alias.contextWindowFallback,
    };
  }

  const slash = requested.indexOf('/');
  if (slash > 0) {
    const provider = snapshot.providers.get(requested.slice(0, slash));
    const model = requested.slice(slash + 1);
    if (provider && model) {
      if (UNSAFE_MODEL.test(model)) throw invalidRequest(`The model name after '${requested.slice(0, slash)}/' has characters or path segments a model name cannot have (control characters, ?, #, %, \\, . or ..).`, 'model', 'invalid_model');
      return { requested, strategy: 'fallback', targets: [{ provider, model, weight: 1 }] };
    }
  }

  const catalogProvider = snapshot.catalog.providerFor(requested);
  if (catalogProvider) {
    for (const provider of snapshot.providers.values()) {
      if (provider.catalogProvider === catalogProvider) return { requested, strategy: 'fallback', targets: [{ provider, model: requested, weight: 1 }] };
    }
    throw modelNotFound(`The model '${requested}' belongs to provider '${catalogProvider}', which is not configured on this gateway.`);
  }
  if (slash > 0) {
    throw modelNotFound(`The model '${requested}' does not exist: provider '${requested.slice(0, slash)}' is not configured on this gateway.`);
  }
  throw modelNotFound(`The model '${requested}' does not exist: use '<provider>/<model>' or a configured alias.`);
}
