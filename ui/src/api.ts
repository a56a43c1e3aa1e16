/**
 * Every call the console makes: the gateway's own admin and /v1 API, authenticated by the
 * HttpOnly session cookie (the browser sends it; no script can read it) plus the `x-tollgate-ui`
 * header the gateway requires beside it. No key is ever held here.
 */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

export interface Session {
  kind: 'admin' | 'team-key';
  team_id: string | null;
  team_name: string | null;
  key_prefix: string | null;
  expires_at: string;
}

const HEADERS = { 'x-tollgate-ui': '1', accept: 'application/json' } as const;

/** Called when a data call says the session is gone (expired, signed out elsewhere, key revoked). */
let onSessionLost: (message: string) => void = () => {};
export const setSessionLostHandler = (fn: (message: string) => void) => {
  onSessionLost = fn;
};

async function failure(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  let code: string | null = null;
  let param: string | null = null;
  try {
    const body = (await res.json()) as { error?: { message?: string; code?: string | null; param?: string | null } };
    if (body.error?.message) message = body.error.message;
    code = body.error?.code ?? null;
    param = body.error?.param ?? null;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(message, res.status, code, param);
}

/** Requests on their way (sign-out waits for them, so none is answered 401 after the session ended). */
let inFlight = 0;
let idleWaiters: Array<() => void> = [];
export function idle(): Promise<void> {
  return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve));
}

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  inFlight++;
  try {
    res = await fetch(path, { credentials: 'same-origin', cache: 'no-store', ...init, headers: { ...HEADERS, ...(init.headers as Record<string, string>) } });
  } catch {
    throw new ApiError('The gateway did not answer: is it running, and is this page served by it?', 0);
  } finally {
    if (--inFlight === 0) {
      const w = idleWaiters;
      idleWaiters = [];
      w.forEach((f) => f());
    }
  }
  if (!res.ok) {
    const err = await failure(res);
    if (res.status === 401 && !path.startsWith('/ui/api/session')) onSessionLost(err.message);
    throw err;
  }
  return res;
}

export async function get<T>(path: string): Promise<T> {
  return (await call(path)).json() as Promise<T>;
}

export async function send<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const res = await call(path, {
    method,
    ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return res.json() as Promise<T>;
}

/** `?a=1&b=2` from the non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const session = {
  /** The signed-in session, or null. */
  current: async (): Promise<Session | null> => {
    const s = await get<Session & { signed_in: boolean }>('/ui/api/session');
    return s.signed_in ? s : null;
  },
  /** The key goes to the gateway once, in this request body, and is not kept anywhere. */
  signIn: (key: string) => send<Session>('POST', '/ui/api/session', { key }),
  /** Waits for the requests already sent (the caller has stopped the pages making new ones), then ends the session. */
  signOut: async () => {
    await idle();
    return send<{ signed_out: true }>('DELETE', '/ui/api/session');
  },
};

export interface SseEvent {
  event: string;
  data: unknown;
}

/** POSTs a JSON body asking for a stream and calls onEvent for each server-sent event as it arrives. */
export async function stream(path: string, body: unknown, onEvent: (e: SseEvent) => void): Promise<void> {
  const res = await call(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', accept: 'text/event-stream' } });
  if (!res.body) throw new ApiError('The answer had no body.', res.status);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value.replace(/\r\n/g, '\n');
    let cut: number;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (!data.length) continue;
      let parsed: unknown = data.join('\n');
      try {
        parsed = JSON.parse(parsed as string);
      } catch {
        // keep the text
      }
      onEvent({ event, data: parsed });
    }
  }
}
