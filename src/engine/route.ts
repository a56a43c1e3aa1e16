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

const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

/**
 * Model name → targets (docs/contract.md §3): an alias first; then `<provider>/<model>` for a configured
 * provider (the model part may itself contain slashes); then a bare name through the catalog
 * (`gpt-4o` → the provider configured for openai).
 */
export function resolveRoute(snapshot: Snapshot, requested: string): Route {
  // The name goes into response headers, logs and upstream URLs: a control character (CR/LF/NUL)
  // or anything outside printable ASCII is refused here, before admission and any upstream call.
  if (NOT_PRINTABLE_ASCII.test(requested)) {
    throw invalidRequest(`The model name ${JSON.stringify(requested)} contains a control or non-ASCII character; model names are printable ASCII.`, 'model', 'invalid_model');
  }
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
    if (provider && model) return { requested, strategy: 'fallback', targets: [{ provider, model, weight: 1 }] };
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
