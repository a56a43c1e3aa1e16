import type { FastifyPluginAsync } from 'fastify';
import { modelAllowed } from '../../engine/access.js';
import { declareAuth } from '../auth-hook.js';
import type { Snapshot } from '../../engine/runtime.js';

/** One model a configured provider serves, with what the catalog (and `pricing:`) says about it. */
interface CatalogModel {
  id: string;
  /** The configured provider that serves it (its name in `providers:`). */
  provider: string;
  /** The provider's type (`openai`, `openai-compatible`, `mock`, …). */
  provider_type: string;
  model: string;
  mode: string | null;
  context_window: number | null;
  max_output_tokens: number | null;
  /** Integer micro-dollars per million tokens (= USD per 1M tokens × 10⁶); null when the catalog has no price. */
  input_per_mtok_micros: number | null;
  output_per_mtok_micros: number | null;
  cached_input_per_mtok_micros: number | null;
  price_source: string | null;
  price_as_of: string | null;
}

interface AliasView {
  id: string;
  strategy: string;
  targets: string[];
}

function build(s: Snapshot): { models: CatalogModel[]; aliases: AliasView[] } {
  const models: CatalogModel[] = [];
  for (const [name, p] of s.providers) {
    const ids = p.adapter.staticModels ?? s.catalog.list(p.catalogProvider).map((e) => e.model);
    for (const m of ids) {
      const e = s.catalog.get(p.catalogProvider, m, p.priceRegion);
      models.push({
        id: `${name}/${m}`,
        provider: name,
        provider_type: p.config.type,
        model: m,
        mode: e?.mode ?? null,
        context_window: e?.context_window ?? null,
        max_output_tokens: e?.max_output_tokens ?? null,
        input_per_mtok_micros: e?.input ?? null,
        output_per_mtok_micros: e?.output ?? null,
        // What a cached input token costs: its own price, else the input price (as ../../metering/cost.ts bills it).
        cached_input_per_mtok_micros: e ? (e.cached_input ?? e.input) : null,
        price_source: e?.source ?? null,
        price_as_of: e?.as_of ?? null,
      });
    }
  }
  const aliases = [...s.aliases.values()].map((a) => ({ id: a.name, strategy: a.strategy, targets: a.targets.map((t) => `${t.provider.config.name}/${t.model}`) }));
  return { models, aliases };
}

const cache = new WeakMap<Snapshot, ReturnType<typeof build>>();

/**
 * `GET /v1/catalog`: every model the configured providers serve, with prices per million tokens
 * (integer micro-dollars per million tokens), context window, output cap and the price's source
 * and date; and the aliases with their targets. A key with `allowed_models` sees only what it may
 * call (as `GET /v1/models`). Built once per config snapshot.
 */
export const catalogRoutes: FastifyPluginAsync = async (app) => {
  declareAuth(app, 'key');
  app.get('/v1/catalog', async (req) => {
    const s = app.gateway.snapshot;
    const principal = req.principal;
    let c = cache.get(s);
    if (!c) cache.set(s, (c = build(s)));
    if (!principal.allowedModels?.length) return { object: 'list', data: c.models, aliases: c.aliases };
    return {
      object: 'list',
      data: c.models.filter((m) => modelAllowed(principal, s, m.id)),
      aliases: c.aliases.filter((a) => modelAllowed(principal, s, a.id)),
    };
  });
};
