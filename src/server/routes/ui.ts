import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sha256 } from '../../config/snapshot.js';
import { authenticate, SESSION_COOKIE, sessionToken, UI_HEADER } from '../../engine/auth.js';
import { forbidden, invalidRequest, notFound, unauthorized } from '../../engine/errors.js';
import type { SessionStore } from '../../admin/sessions.js';
import { UI_SECURITY_HEADERS, UiFiles, type UiFile } from '../ui-static.js';
import { declareAuth } from '../auth-hook.js';

export interface UiRouteOptions {
  sessions: SessionStore;
  /** The built console (default dist/ui; tests build into a temp dir). */
  dir: string;
}

/**
 * The console (docs/console.md): its built files at `/ui` (any other `/ui/…` path is the page
 * itself, which routes on the client), and its sign-in at `/ui/api/session`. Sign-in is the one
 * thing the console does that the API does not: it takes a key, checks it exactly as the API
 * does, and sets an HttpOnly, SameSite=Strict cookie holding a random token. Every page's data
 * then comes from the admin and `/v1` API, with that cookie (engine/auth.ts) instead of a key.
 */
export const uiRoutes: FastifyPluginAsync<UiRouteOptions> = async (app, { sessions, dir }) => {
  // Its files and sign-in need no caller; the pages' data comes from the API, authenticated there.
  declareAuth(app, 'none');
  const files = new UiFiles(dir);
  const enabled = () => {
    if (!app.gateway.snapshot.ui.enabled) throw notFound('The console is turned off on this gateway (ui.enabled: false).');
  };

  // Every console request: the same-origin header, so no other site can sign a browser in or out.
  const uiHeader = (req: FastifyRequest) => {
    if (req.headers[UI_HEADER] !== '1') throw invalidRequest(`Console requests carry the header "${UI_HEADER}: 1".`, UI_HEADER, 'missing_ui_header');
  };

  app.post('/ui/api/session', async (req, reply) => {
    enabled();
    uiHeader(req);
    const body = req.body as { key?: unknown } | undefined;
    const key = body && typeof body === 'object' && !Array.isArray(body) ? body.key : undefined;
    if (typeof key !== 'string' || !key.trim()) throw invalidRequest('Send {"key": "<the admin key or a team key>"}.', 'key', 'missing_required_parameter');
    if (key.length > 1024 || /[\s\u0000-\u001f]/.test(key.trim())) throw unauthorized('That is not a valid key.');
    const snapshot = app.gateway.snapshot;
    // Exactly the API's check (a revoked, expired or unknown key is refused the same way).
    const who = await authenticate({ authorization: `Bearer ${key.trim()}` }, snapshot, app.gateway.keys);
    if (who.kind === 'anonymous') throw unauthorized('That is not a valid key.');
    if (who.kind !== 'admin' && who.kind !== 'team-key') throw forbidden('Sign in with the admin key or a team key (a key from auth.keys has no team to show).');
    const { token } = await sessions.open(who, snapshot);
    setCookie(req, reply, token, Math.floor(snapshot.ui.sessionMs / 1000));
    req.log.info({ ui: 'sign-in', kind: who.kind, team: who.kind === 'admin' ? null : who.teamId }, 'console sign-in');
    const view = await sessions.describe(sha256(token), snapshot);
    return reply.code(201).header('cache-control', 'no-store').send({ signed_in: true, ...view });
  });

  // Who is signed in. Not being signed in is an answer, not an error: the page asks on every load.
  app.get('/ui/api/session', async (req, reply) => {
    enabled();
    const token = sessionToken(req.headers);
    const view = token ? await sessions.describe(sha256(token), app.gateway.snapshot) : undefined;
    return reply.header('cache-control', 'no-store').send(view ? { signed_in: true, ...view } : { signed_in: false });
  });

  // Sign-out: the stored session is revoked (a replayed cookie is refused) and the cookie cleared.
  app.delete('/ui/api/session', async (req, reply) => {
    uiHeader(req);
    const token = sessionToken(req.headers);
    if (token) await sessions.close(sha256(token));
    setCookie(req, reply, '', 0);
    return reply.header('cache-control', 'no-store').send({ signed_out: true });
  });

  app.get('/ui', (req, reply) => page(req, reply));
  app.get('/ui/*', (req, reply) => {
    const rest = (req.params as { '*': string })['*'];
    if (rest.startsWith('api/')) throw notFound(`Unknown route: GET ${req.url.split('?')[0]}`);
    const file = rest.startsWith('assets/') || /\.[a-z0-9]+$/i.test(rest) ? files.get(rest) : undefined;
    if (file) return send(req, reply, file);
    if (rest.startsWith('assets/')) throw notFound(`No such console file: ${rest}`);
    return page(req, reply);
  });

  /** index.html for `/ui` and every client-side route (`/ui/teams`, `/ui/prompts/summarize`). */
  async function page(req: FastifyRequest, reply: FastifyReply) {
    enabled();
    const index = files.index();
    if (!index) {
      return reply
        .code(503)
        .headers(UI_SECURITY_HEADERS)
        .type('text/plain; charset=utf-8')
        .send(`The console is not built here (no ${files.dir}/index.html): run "npm run build".\n`);
    }
    return send(req, reply, index);
  }

  function send(req: FastifyRequest, reply: FastifyReply, f: UiFile) {
    enabled();
    reply.headers(UI_SECURITY_HEADERS).header('cache-control', f.cacheControl).header('etag', f.etag).header('vary', 'accept-encoding').type(f.type);
    if (req.headers['if-none-match'] === f.etag) return reply.code(304).send();
    const accept = req.headers['accept-encoding'];
    if (f.gzip && typeof accept === 'string' && /\bgzip\b/.test(accept)) return reply.header('content-encoding', 'gzip').send(f.gzip);
    return reply.send(f.body);
  }
};

/** HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure over https, expiring with the session. */
function setCookie(req: FastifyRequest, reply: FastifyReply, token: string, maxAgeS: number): void {
  const proto = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim().toLowerCase();
  const secure = req.protocol === 'https' || proto === 'https';
  reply.header('set-cookie', `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${Math.max(0, maxAgeS)}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`);
}
