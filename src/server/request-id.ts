import { randomUUID } from 'node:crypto';

/**
 * 32 hex digits laid out as a UUIDv7: the first 12 are the time in milliseconds, the rest random
 * (74 bits, from a v4 UUID). Ids made later sort later, so the ledger's unique index on the request
 * id grows at its right edge: a batch of records dirties a page or two of that index instead of one
 * random page per record (a random id cost ~5 SQLite page writes per request in the pass-through
 * benchmark; bench/README.md). Not a secret and not a sequence: two ids of one millisecond differ
 * in their random part.
 */
export function timeOrderedHex(now = Date.now()): string {
  const rand = randomUUID();
  // v4: xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx → keep the variant nibble (y), set the version to 7.
  return `${now.toString(16).padStart(12, '0').slice(-12)}7${rand.slice(15, 18)}${rand.slice(19, 23)}${rand.slice(24)}`;
}

/** A request id: `req_` and a time-ordered UUID's hex. */
export const newRequestId = (): string => `req_${timeOrderedHex()}`;
