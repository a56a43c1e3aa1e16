import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError, invalidRequest, notFound } from '../engine/errors.js';
import type { CompiledRoute, RouteTable } from './types.js';

export interface RouteMatch {
  route: CompiledRoute;
  /** Path (+ query) to request on the upstream, after its base path; always starts with '/'. */
  path: string;
}

const RESERVED = /^\/(v1|admin|healthz|readyz|metrics|openapi\.json|docs)(\/|$)/;

/**
 * Picks the route for a request, or refuses it. Only configured upstreams are ever contacted:
 * the upstream is the route's, never the request's — an absolute-form URL
 * (`GET http://evil/ HTTP/1.1`) is refused, the `Host` header only selects among configured
 * routes, and a path with dot segments (`/api/users/../../admin`, `%2e%2e`, `..%2f`) is
 * refused rather than normalised, so no upstream path resolution can climb out of a prefix.
 */
export function matchRoute(table: RouteTable, method: string, rawUrl: string, headers: IncomingHttpHeaders): RouteMatch {
  if (!rawUrl.startsWith('/') || rawUrl.startsWith('//')) {
    throw invalidRequest('The gateway proxies only to its configured upstreams: absolute-form request targets are refused.', null, 'proxy_target_refused');
  }
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = q === -1 ? '' : rawUrl.slice(q);
  if (unsafePath(path)) {
    throw invalidRequest('The request path contains dot segments or control characters and was refused.', null, 'path_traversal_refused');
  }
  let methodMismatch: CompiledRoute | undefined;
  for (const route of table.routes) {
    if (!prefixMatches(route.prefix, path)) continue;
    if (route.host !== undefined && hostOf(headers) !== route.host) continue;
    if (!route.headers.every(([k, v]) => headers[k] === v)) continue;
    if (route.methods && !route.methods.has(method)) {
      methodMismatch ??= route;
      continue;
    }
    const rest = route.stripPrefix ? path.slice(route.prefix.length) : path;
    return { route, path: (rest.startsWith('/') ? rest : `/${rest}`) + query };
  }
  if (methodMismatch) {
    throw new GatewayError({ status: 405, type: 'invalid_request_error', code: 'method_not_allowed', message: `${method} is not allowed on route ${methodMismatch.name}.` });
  }
  throw notFound(`Unknown route: ${method} ${path}`);
}

function prefixMatches(prefix: string, path: string): boolean {
  if (prefix === '') return !RESERVED.test(path);
  return path === prefix || (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47 /* / */);
}

function hostOf(headers: IncomingHttpHeaders): string {
  const h = (headers.host ?? '').toLowerCase();
  return h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d+$/, '');
}

/**
 * Dot segments after percent-decoding (repeatedly: a double-decoding upstream must not see
 * `..` either), backslashes (some servers read them as `/`), NUL and control characters.
 */
export function unsafePath(path: string): boolean {
  let p = path;
  for (let i = 0; i < 3 && p.includes('%'); i++) {
    try {
      p = decodeURIComponent(p);
    } catch {
      return true;
    }
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(p)) return true;
  return /(^|\/)\.{1,2}(\/|$)/.test(p);
}
