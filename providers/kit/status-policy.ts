/**
 * The one table from an upstream HTTP status to the error the client gets. Why:
 * - 401/403 refuse the GATEWAY's provider key: not the client's fault, and not a key the client
 *   could fix, so a 502 — never a 401 that would send them hunting for the wrong key.
 * - 404 is (nearly always) an unknown model; 413 keeps its meaning; 429 keeps its status and
 *   `retry-after` (./retry-after.ts).
 * - Other 4xx: the client's request was refused (400).
 * - 503/529 (overloaded) and 504 keep their meaning; every other failure is a 502.
 * An adapter passes `exceptions` only for what its provider documents differently (an error type
 * of its own, or a status it uses in another sense); each is listed in the adapter's errors.ts.
 */

export interface ErrorClass {
  /** The status the client gets; `'same'` keeps the upstream's. */
  status: number | 'same';
  type: string;
  code: string | null;
}

/** Keys: an exact status, or `4xx` / `5xx` for the rest of the range (anything not 4xx is 5xx). */
export type StatusTable = Readonly<Record<string, ErrorClass>>;

const AUTH: ErrorClass = { status: 502, type: 'upstream_error', code: 'upstream_auth_failed' };
const UNAVAILABLE: ErrorClass = { status: 503, type: 'api_error', code: 'upstream_unavailable' };

export const STATUS_POLICY: StatusTable = {
  401: AUTH,
  403: AUTH,
  404: { status: 404, type: 'invalid_request_error', code: 'model_not_found' },
  413: { status: 413, type: 'invalid_request_error', code: 'request_too_large' },
  429: { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  '4xx': { status: 400, type: 'invalid_request_error', code: null },
  503: UNAVAILABLE,
  529: UNAVAILABLE,
  504: { status: 504, type: 'api_error', code: 'upstream_timeout' },
  '5xx': { status: 502, type: 'api_error', code: 'upstream_error' },
};

/** The class of `status`: the adapter's exception for it, else the table's row, else its range's. */
export function classifyStatus(status: number, exceptions: StatusTable = {}): { status: number; type: string; code: string | null } {
  const range = status >= 400 && status < 500 ? '4xx' : '5xx';
  const row = exceptions[status] ?? STATUS_POLICY[status] ?? exceptions[range] ?? STATUS_POLICY[range]!;
  return { status: row.status === 'same' ? status : row.status, type: row.type, code: row.code };
}

/** The code an adapter sets on a 400 whose provider wording says the prompt does not fit the model's context window. */
export const CONTEXT_LENGTH_EXCEEDED = 'context_length_exceeded';
