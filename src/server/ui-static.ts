import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * The console's built files (`dist/ui`, written by `npm run build` from `ui/`), served by the
 * gateway itself: no CDN, works offline. Files are read on first use and kept in memory with
 * their gzip form (the whole console is ~100 KB); hashed assets never change, and index.html is
 * re-read when its file changes (a rebuild while the gateway runs).
 */

/** `dist/ui` of the package this code runs from: src/server (tsx), dist/src/server (tsc) or dist/ (the bundle). */
export function defaultUiDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'ui');
    dir = dirname(dir);
  }
  return join(process.cwd(), 'dist', 'ui');
}

/** Scripts, styles, images, fonts and API calls from this origin only; no inline code, no framing. */
export const UI_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const UI_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': UI_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface UiFile {
  body: Buffer;
  gzip?: Buffer;
  type: string;
  /** index.html: revalidate every time; hashed assets: a year, immutable. */
  cacheControl: string;
  etag: string;
}

/** A file name inside the build: letters, digits, `.`, `_`, `-` (no separators, no `..`). */
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$/;

export class UiFiles {
  private readonly files = new Map<string, UiFile & { mtimeMs: number }>();

  constructor(readonly dir: string) {}

  /** Whether a build is there at all. */
  built(): boolean {
    return existsSync(join(this.dir, 'index.html'));
  }

  index(): UiFile | undefined {
    return this.load('index.html', 'no-cache');
  }

  /** `assets/<name>` (content-hashed: cached for a year) or a top-level file such as `favicon.svg`. */
  get(path: string): UiFile | undefined {
    const parts = path.split('/');
    if (parts.length === 2 && parts[0] === 'assets' && SAFE_NAME.test(parts[1]!)) return this.load(path, 'public, max-age=31536000, immutable');
    if (parts.length === 1 && SAFE_NAME.test(path) && path !== 'index.html' && extname(path) in TYPES) return this.load(path, 'public, max-age=3600');
    return undefined;
  }

  private load(rel: string, cacheControl: string): UiFile | undefined {
    const abs = join(this.dir, rel);
    let st;
    try {
      st = statSync(abs);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const hit = this.files.get(rel);
    if (hit && hit.mtimeMs === st.mtimeMs) return hit;
    const body = readFileSync(abs);
    const type = TYPES[extname(rel)] ?? 'application/octet-stream';
    const compressible = /^(text\/|image\/svg|application\/json)/.test(type) && body.length > 512;
    const file = {
      body,
      ...(compressible && { gzip: gzipSync(body, { level: 9 }) }),
      type,
      cacheControl,
      etag: `"${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"`,
      mtimeMs: st.mtimeMs,
    };
    if (this.files.size > 500) this.files.clear();
    this.files.set(rel, file);
    return file;
  }
}
