import { CliError } from './cli-error.js';

export const DEFAULT_URL = 'http://127.0.0.1:8787';

export interface Connection {
  /** The gateway's base URL, validated (http or https; a path prefix is kept). */
  url: URL;
  adminKey?: string;
  timeoutMs: number;
}

/** `--url` / `TOLLGATE_URL` → a URL, or a clear error naming what was given and what is expected. */
export function parseGatewayUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`invalid gateway URL "${raw}": expected http(s)://host[:port], e.g. ${DEFAULT_URL} (--url or TOLLGATE_URL)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`invalid gateway URL "${shown(url)}": the scheme must be http or https (--url or TOLLGATE_URL)`);
  }
  if (url.search || url.hash) throw new CliError(`invalid gateway URL "${shown(url)}": no query or fragment, just the base URL (--url or TOLLGATE_URL)`);
  return url;
}

/** The URL as it may be printed: without a password (the user part of `user:pass@host` is kept). */
export function shown(url: URL): string {
  if (!url.password) return url.href.replace(/\/$/, '');
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href.replace(/\/$/, '');
}

/** A JSON/text client for the gateway's HTTP API, with the admin key as the bearer token. */
export class GatewayClient {
  constructor(readonly conn: Connection) {}

  get base(): string {
    return shown(this.conn.url);
  }

  async json<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    const text = await res.text();
    if (!res.ok) throw this.apiError(res.status, text);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CliError(`unexpected answer from ${this.base}${pathOnly(path)}: HTTP ${res.status} but not JSON (is --url a tollgate gateway?)`, res.status);
    }
  }

  async text(path: string): Promise<string> {
    const res = await this.send('GET', path);
    const text = await res.text();
    if (!res.ok) throw this.apiError(res.status, text);
    return text;
  }

  /** The raw status and parsed body, for callers that handle a status themselves (404 of a route this gateway lacks). */
  async probe(path: string): Promise<{ status: number; json?: unknown; error?: CliError }> {
    const res = await this.send('GET', path);
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // handled below
    }
    return { status: res.status, json, ...(!res.ok && { error: this.apiError(res.status, text) }) };
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const { url, adminKey, timeoutMs } = this.conn;
    const target = new URL(url.href);
    target.username = '';
    target.password = '';
    const [p, q] = path.split('?', 2) as [string, string | undefined];
    target.pathname = url.pathname.replace(/\/+$/, '') + p;
    target.search = q ?? '';
    const headers: Record<string, string> = { accept: 'application/json' };
    if (adminKey) headers.authorization = `Bearer ${adminKey}`;
    // Basic auth in the URL (a reverse proxy's) is sent as a header; fetch refuses credentials in the URL.
    else if (url.username) headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(target, {
        method,
        headers,
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw this.networkError(err);
    }
  }

  private networkError(err: unknown): CliError {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') return new CliError(`no answer from the gateway at ${this.base} within ${this.conn.timeoutMs / 1000} s (--timeout)`);
    const code = e.cause?.code;
    const why =
      code === 'ECONNREFUSED'
        ? 'connection refused (is the gateway running there? check --url or TOLLGATE_URL)'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? `host "${this.conn.url.hostname}" not found (check --url or TOLLGATE_URL)`
          : code === 'ECONNRESET'
            ? 'the connection was reset'
            : (e.cause?.message ?? e.message);
    return new CliError(this.scrub(`cannot reach the gateway at ${this.base}: ${why}`));
  }

  /** An error answer → its envelope's `error.message` (OpenAI's or Anthropic's shape), with the status; a hint for 401/403. */
  apiError(status: number, text: string): CliError {
    let message: string | undefined;
    let param: string | null | undefined;
    try {
      const body = JSON.parse(text) as { error?: { message?: unknown; param?: unknown } };
      if (typeof body.error?.message === 'string') message = body.error.message;
      if (typeof body.error?.param === 'string') param = body.error.param;
    } catch {
      // not JSON: said below
    }
    let line = message ? `${message}${param ? ` (param: ${param})` : ''} (HTTP ${status})` : `the gateway at ${this.base} answered HTTP ${status} without an error message`;
    if (status === 401 || status === 403) {
      line += this.conn.adminKey ? ' — check the admin key (--admin-key or TOLLGATE_ADMIN_KEY)' : ' — no admin key given: set TOLLGATE_ADMIN_KEY or pass --admin-key';
    }
    return new CliError(this.scrub(line), status);
  }

  /** Whatever is printed never holds the admin key, even if an answer echoed it. */
  scrub(text: string): string {
    const key = this.conn.adminKey;
    return key && key.length >= 4 ? text.split(key).join('[redacted]') : text;
  }
}

const pathOnly = (path: string) => path.split('?')[0];

/** `?a=1&b=2` from the defined, non-empty values (an empty string is "not given"). */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
