import type { Principal } from './auth.js';
import { forbidden } from './errors.js';

/** A key's `allowed_models` (exact names, or prefixes ending in `*`, e.g. `openai/*`). */
export function checkModelAllowed(principal: Principal, model: string): void {
  const allowed = principal.allowedModels;
  if (!allowed || allowed.length === 0) return;
  for (const a of allowed) {
    if (a === model || (a.endsWith('*') && model.startsWith(a.slice(0, -1)))) return;
  }
  throw forbidden(`This key is not allowed to use the model '${model}'.`);
}
