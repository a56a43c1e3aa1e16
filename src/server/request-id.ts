import { randomFillSync } from 'node:crypto';

/** Random bytes drawn 4 KiB at a time (one syscall per ~400 ids), 10 per id. */
const pool = Buffer.alloc(4096);
let offset = pool.length;
/** The time part of the last id: one hex conversion per millisecond, not per id. */
let lastMs = -1;
let lastMsHex = '';
const VARIANT = '89ab';

/**
 * 32 hex digits laid out as a UUIDv7: the first 12 are the time in milliseconds, then the version
 * (7), 74 random bits and the RFC variant. Ids made later sort later, so the ledger's unique index
 * on the request id grows at its right edge: a batch of records dirties a page or two of that index
 * instead of one random page per record (a random id cost ~5 SQLite page writes per request in the
 * pass-through benchmark; docs/performance.md). Not a secret and not a sequence: two ids of one
 * millisecond differ in their random part.
 */
export function timeOrderedHex(now = Date.now()): string {
  if (now !== lastMs) {
    lastMs = now;
    lastMsHex = now.toString(16).padStart(12, '0').slice(-12);
  }
  if (offset + 10 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const rand = pool.toString('hex', offset, offset + 10);
  const variant = VARIANT[pool[offset + 9]! & 3]!; // the byte behind the hex's last two digits
  offset += 10;
  return `${lastMsHex}7${rand.slice(0, 3)}${variant}${rand.slice(3, 18)}`;
}

/** A request id: `req_` and a time-ordered UUID's hex. */
export const newRequestId = (): string => `req_${timeOrderedHex()}`;
