import { randomBytes } from 'node:crypto';
import { sha256 } from '../config/snapshot.js';

/** Recognisable by secret scanners and in logs' redaction (engine/errors.ts redacts `tg_…`). */
export const KEY_PREFIX = 'tg_';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new key: `tg_` + 40 base62 characters (~238 bits). Shown once; only hash and prefix are kept. */
export function generateKey(): { key: string; hash: string; prefix: string } {
  const bytes = randomBytes(64);
  let body = '';
  // Rejection sampling keeps every character equally likely (248 = 4 × 62).
  for (const b of bytes) {
    if (b < 248) body += ALPHABET[b % 62];
    if (body.length === 40) break;
  }
  if (body.length < 40) return generateKey();
  const key = KEY_PREFIX + body;
  return { key, hash: sha256(key), prefix: key.slice(0, 11) };
}

/** Short random ids for rows: `team_…`, `key_…`. */
export function newId(kind: 'team' | 'key'): string {
  return `${kind}_${randomBytes(9).toString('base64url')}`;
}
