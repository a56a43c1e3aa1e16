import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CliError } from './cli-error.js';
import { printable } from './output.js';

export const DEFAULT_URL = 'http://127.0.0.1:8787';
const MAX_ANSWER_BYTES = 256 * 1024 * 1024;

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
    if (!res.ok) throw this.apiError(res.status, res.text, res.location);
    try {
      return JSON.parse(res.text) as T;
    } catch {
      throw new CliError(`unexpected answer from ${this.base}${pathOnly(path)}: HTTP ${res.status} but not JSON (is --url a tollgate gateway?)`, res.status);
    }
  }

  async text(path: string): Promise<string> {
    const res = await this.send('GET', path);
    if (!res.ok) throw this.apiError(res.status, res.text, res.location);
    return res.text;
  }

  /** The raw status and parsed body, for callers that handle a status themselves (404 of a route this gateway lacks). */
  async probe(path: string): Promise<{ status: number; json?: unknown; error?: CliError }> {
    const res = await this.send('GET', path);
    let json: unknown;
    try {
      json = JSON.parse(res.text);
    } catch {
      // not JSON: the error below says so
    }
    return { status: res.status, json, ...(!res.ok && { error: this.apiError(res.status, res.text, res.location) }) };
  }

  /**
   * One request with node:http(s) — not fetch: fetch's WebAssembly HTTP parser is compiled at
   * first use and holds the process ~0.3 s at exit, longer than the whole command otherwise takes.
   */
  private send(method: string, path: string, body?: unknown): Promise<{ status: number; ok: boolean; text: string; location?: string }> {
    const { url, adminKey, timeoutMs } = this.conn;
    const target = new URL(url.href);
    target.username = '';
    target.password = '';
    const [p, q] = path.split('?', 2) as [string, string | undefined];
    target.pathname = url.pathname.replace(/\/+$/, '') + p;
    target.search = q ?? '';
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (adminKey) headers.authorization = `Bearer ${adminKey}`;
    // Basic auth in the URL (a reverse proxy's) when no admin key is given.
    else if (url.username) headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve, reject) => {
      const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new CliError(`the answer from ${this.base}${pathOnly(path)} is larger than ${MAX_ANSWER_BYTES / 1e6} MB`));
          else chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          resolve({ status, ok: status >= 200 && status < 300, text: Buffer.concat(chunks).toString('utf8'), ...(res.headers.location && { location: res.headers.location }) });
        });
        res.on('error', fail);
      });
      const timer = setTimeout(() => req.destroy(new CliError(`no answer from the gateway at ${this.base} within ${timeoutMs / 1000} s (--timeout)`)), timeoutMs);
      function fail(err: Error) {
        clearTimeout(timer);
        reject(err);
      }
      req.on('error', (err) => fail(err instanceof CliError ? err : this.networkError(err)));
      req.end(payload);
    });
  }

  private networkError(err: Error & { code?: string }): CliError {
    const code = err.code;
    const why =
      code === 'ECONNREFUSED'
        ? 'connection refused (is the gateway running there? check --url or TOLLGATE_URL)'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? `host "${this.conn.url.hostname}" not found (check --url or TOLLGATE_URL)`
          : code === 'ECONNRESET'
            ? 'the connection was reset'
            : err.message;
    return new CliError(this.scrub(`cannot reach the gateway at ${this.base}: ${why}`));
  }

  /** An error answer → its envelope's `error.message` (OpenAI's or Anthropic's shape), with the status; a hint for 401/403. */
  apiError(status: number, text: string, location?: string): CliError {
    // Redirects are not followed (the admin key would go wherever they point): say where to.
    if (status >= 300 && status < 400 && location) return new CliError(this.scrub(`the gateway at ${this.base} redirects (HTTP ${status}) to ${printable(location)}: use that URL with --url or TOLLGATE_URL`), status);
    let message: string | undefined;
    let param: string | null | undefined;
    try {
      const body = JSON.parse(text) as { error?: { message?: unknown; param?: unknown } };
      if (typeof body.error?.message === 'string') message = body.error.message;
      if (typeof body.error?.param === 'string') param = body.error.param;
    } catch {
      // not JSON: said below
    }
    let line = message ? `${printable(message)}${param ? ` (param: ${printable(param, 200)})` : ''} (HTTP ${status})` : `the gateway at ${this.base} answered HTTP ${status} without an error message`;
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
