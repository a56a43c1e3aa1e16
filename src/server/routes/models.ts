import type { FastifyPluginAsync } from 'fastify';
import { modelAllowed } from '../../engine/access.js';
import { authenticate, type Principal } from '../../engine/auth.js';
import { modelNotFound } from '../../engine/errors.js';
import type { Snapshot } from '../../engine/runtime.js';

interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** The models of configured providers (from the catalog), the mock's, and the aliases. Built once per snapshot. */
function buildList(s: Snapshot): { list: string; byId: Map<string, ModelObject> } {
  const byId = new Map<string, ModelObject>();
  for (const alias of s.aliases.keys()) byId.set(alias, { id: alias, object: 'model', created: 0, owned_by: 'tollgate' });
  for (const [name, p] of s.providers) {
    const models = p.adapter.staticModels ?? s.catalog.list(p.catalogProvider).map((e) => e.model);
    for (const m of models) byId.set(`${name}/${m}`, { id: `${name}/${m}`, object: 'model', created: 0, owned_by: name });
  }
  return { list: JSON.stringify({ object: 'list', data: [...byId.values()] }), byId };
}

const cache = new WeakMap<Snapshot, ReturnType<typeof buildList>>();
const listFor = (s: Snapshot) => {
  let l = cache.get(s);
  if (!l) cache.set(s, (l = buildList(s)));
  return l;
};

// A key with allowed_models sees only what it may call; its list is built once per key and snapshot.
const keyLists = new WeakMap<readonly string[], { snapshot: Snapshot; list: string }>();
function listForKey(s: Snapshot, principal: Principal): string {
  const allowed = principal.allowedModels;
  if (!allowed?.length) return listFor(s).list;
  const hit = keyLists.get(allowed);
  if (hit?.snapshot === s) return hit.list;
  const data = [...listFor(s).byId.values()].filter((m) => modelAllowed(principal, s, m.id));
  const list = JSON.stringify({ object: 'list', data });
  keyLists.set(allowed, { snapshot: s, list });
  return list;
}

/** `GET /v1/models`, `GET /v1/models/{id}` (ids contain slashes: `openai/gpt-4o`). */
export const modelRoutes: FastifyPluginAsync = async (app) => {
  listFor(app.gateway.snapshot);
  app.get('/v1/models', async (req, reply) => {
    const s = app.gateway.snapshot;
    const principal = await authenticate(req.headers, s, app.gateway.keys);
    return reply.type('application/json').send(listForKey(s, principal));
  });
  app.get('/v1/models/*', async (req) => {
    const s = app.gateway.snapshot;
    const principal = await authenticate(req.headers, s, app.gateway.keys);
    const id = decodeURIComponent((req.params as { '*': string })['*']);
    if (!modelAllowed(principal, s, id)) throw modelNotFound(`The model '${id}' does not exist or this key may not use it.`);
    const found = listFor(s).byId.get(id);
    if (found) return found;
    // Any model of a configured provider works, catalogued or not (docs/contract.md §3).
    const slash = id.indexOf('/');
    if (slash > 0 && s.providers.has(id.slice(0, slash)) && id.length > slash + 1) {
      return { id, object: 'model', created: 0, owned_by: id.slice(0, slash) } satisfies ModelObject;
    }
    throw modelNotFound(`The model '${id}' does not exist or is not served by this gateway.`);
  });
};
