import type { Principal } from './auth.js';
import { forbidden } from './errors.js';
import { resolveRoute } from './route.js';
import type { AliasTarget, Snapshot } from './runtime.js';

/**
 * A key's `allowed_models`, applied to what a name *resolves* to: `gpt-4o-mini`,
 * `openai/gpt-4o-mini` and an alias whose targets are `openai/gpt-4o-mini` are the same model.
 * Each exact entry is resolved like a request's model (an alias → its targets, a bare catalog
 * name → `<provider>/<model>`); an entry ending in `*` is a prefix of the resolved
 * `<provider>/<model>` (`openai/*`). A request may run when every target its model (and each
 * `x-tollgate-fallbacks` name) resolves to is allowed.
 */
interface Allowed {
  snapshot: Snapshot;
  exact: ReadonlySet<string>;
  prefixes: readonly string[];
}

// Compiled once per key (its frozen allowed_models array) and snapshot, not per request.
const compiled = new WeakMap<readonly string[], Allowed>();

function compile(list: readonly string[], snapshot: Snapshot): Allowed {
  const hit = compiled.get(list);
  if (hit?.snapshot === snapshot) return hit;
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const a of list) {
    if (a.endsWith('*')) {
      prefixes.push(a.slice(0, -1));
      continue;
    }
    exact.add(a);
    try {
      for (const t of resolveRoute(snapshot, a).targets) exact.add(targetId(t));
    } catch {
      // a name this configuration cannot resolve allows nothing more than itself
    }
  }
  const out = { snapshot, exact, prefixes };
  compiled.set(list, out);
  return out;
}

const targetId = (t: AliasTarget): string => `${t.provider.config.name}/${t.model}`;

function allows(a: Allowed, t: AliasTarget): boolean {
  const id = targetId(t);
  return a.exact.has(id) || a.prefixes.some((p) => id.startsWith(p));
}

/** 403 unless the key may use every target `requested` resolved to. */
export function checkTargetsAllowed(principal: Principal, snapshot: Snapshot, requested: string, targets: readonly AliasTarget[]): void {
  const list = principal.allowedModels;
  if (!list || list.length === 0) return;
  const a = compile(list, snapshot);
  const denied = targets.filter((t) => !allows(a, t)).map(targetId);
  if (denied.length === 0) return;
  const which = denied.length === 1 && denied[0] === requested ? '' : ` (it resolves to ${denied.join(', ')})`;
  throw forbidden(`This key is not allowed to use the model '${requested}'${which}.`);
}

/** For listings: may the key call this model name (an id of `GET /v1/models`)? */
export function modelAllowed(principal: Principal, snapshot: Snapshot, name: string): boolean {
  const list = principal.allowedModels;
  if (!list || list.length === 0) return true;
  let targets: readonly AliasTarget[];
  try {
    targets = resolveRoute(snapshot, name).targets;
  } catch {
    return false;
  }
  const a = compile(list, snapshot);
  return targets.every((t) => allows(a, t));
}
