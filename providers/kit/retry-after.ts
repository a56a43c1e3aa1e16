import type { UpstreamErrorInput } from '../adapter.js';

/** Upstream waits beyond a day are not believed: a garbage or hostile header cannot park clients for longer. */
export const MAX_RETRY_AFTER_S = 86_400;

/**
 * How long the upstream asks us to wait, in whole seconds (rounded up), or undefined: OpenAI's
 * `retry-after-ms` first (the more precise), then `retry-after` as seconds or an HTTP-date
 * (RFC 9110 §10.2.3). Header names in any case; a list uses its first value. Negative, non-finite
 * and unreadable values are ignored; the result is at most MAX_RETRY_AFTER_S.
 */
export function retryAfterSeconds(headers: UpstreamErrorInput['headers']): number | undefined {
  const ms = seconds(header(headers, 'retry-after-ms'));
  if (ms !== undefined) return bound(ms / 1000);
  const v = header(headers, 'retry-after');
  if (v === undefined) return undefined;
  const s = seconds(v);
  if (s !== undefined) return bound(s);
  // An HTTP-date names its day and month ("Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse alone takes "-5" for a year.
  const at = /[A-Za-z]{3}/.test(v) ? Date.parse(v) : NaN;
  return Number.isFinite(at) ? bound(Math.max(0, (at - Date.now()) / 1000)) : undefined;
}

/** A non-negative decimal number, else undefined (not `Number(v)` alone: '' is 0 to it, and '1e999' or 'Infinity' count). Too many digits is the bound. */
function seconds(v: string | undefined): number | undefined {
  return v !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : undefined;
}

const bound = (s: number): number => Math.min(Math.ceil(s), MAX_RETRY_AFTER_S);

function header(headers: UpstreamErrorInput['headers'], name: string): string | undefined {
  let v = headers[name];
  if (v === undefined) {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    v = key === undefined ? undefined : headers[key];
  }
  return Array.isArray(v) ? v[0] : v;
}
