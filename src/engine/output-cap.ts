import type { CatalogEntry } from '../metering/catalog/types.js';
import { invalidRequest } from './errors.js';
import type { AliasTarget, Snapshot } from './runtime.js';

/**
 * Output cap of a model the catalog gives no `max_output_tokens` for: the largest output a
 * client may ask of it, and what a budget reserves when the client sets no cap (README).
 */
export const OUTPUT_TOKENS_CEILING = 131_072;

/** The most output tokens one completion of this model can have. */
export function maxOutputOf(entry: CatalogEntry | undefined): number {
  return entry?.max_output_tokens ?? OUTPUT_TOKENS_CEILING;
}

/**
 * The client's output cap must be a whole number no larger than what one of the request's
 * targets can produce (catalog `max_output_tokens`, else OUTPUT_TOKENS_CEILING): a cap no model
 * honours would only make the budget reservation meaningless. 400 naming the field otherwise.
 */
export function checkOutputCap(snapshot: Snapshot, targets: readonly AliasTarget[], maxOut: number | undefined, param: string): void {
  if (maxOut === undefined) return;
  if (!Number.isSafeInteger(maxOut) || maxOut < 0) throw invalidRequest(`Invalid value for '${param}': must be a whole number of tokens.`, param, 'invalid_value');
  let limit = 0;
  for (const t of targets) limit = Math.max(limit, maxOutputOf(snapshot.catalog.get(t.provider.catalogProvider, t.model, t.provider.priceRegion)));
  if (targets.length && maxOut > limit) {
    throw invalidRequest(`Invalid value for '${param}': ${maxOut} is more than this model can produce (at most ${limit} output tokens).`, param, 'invalid_value');
  }
}
