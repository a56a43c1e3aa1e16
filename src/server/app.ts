import { newRequestId } from './request-id.js';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Admission } from '../engine/admission.js';
import type { KeyLookup } from '../engine/auth.js';
import { createRouting } from '../engine/dispatch.js';
import { MemoryResponseCache, type ResponseCacheStore } from '../engine/response-cache.js';
import { GatewayError, invalidRequest, redactSecrets } from '../engine/errors.js';
import type { Snapshot } from '../engine/runtime.js';
import { createMetricsSink, modelLabeler, type Metrics } from '../metering/metrics.js';
import type { UsageSink } from '../metering/usage-record.js';
import { accessLogSink } from './access-log.js';
import { authByRouteGroup } from './auth-hook.js';
import { sendError, toShape } from './errors.js';
import type { Gateway } from './gateway.js';
import { healthRoutes } from './routes/health.js';
import { capabilitiesRoutes } from './routes/capabilities.js';
import { catalogRoutes } from './routes/catalog.js';
import { modelRoutes } from './routes/models.js';
import { openapiRoutes } from './routes/openapi.js';
import { promptRoutes } from './routes/prompts.js';
import { proxyRoutes } from './routes/proxy.js';
import { PromptLibrary } from '../prompts/library.js';
import { MemoryPromptStore, type PromptStore } from '../prompts/store.js';
import { rejectNonFiniteNumbers } from './non-finite.js';
import { startTracing } from '../telemetry/tracer.js';
import { SURFACES, type SurfaceApp } from '../surfaces/index.js';

export interface AppOptions {
  snapshot: Snapshot;
  /** Extra usage sinks (the ledger); metrics are always recorded. */
  sinks?: UsageSink[];
  keys?: KeyLookup;
  admission?: Admission;
  /** Readiness checks for `/readyz` (storage, Redis): name → 'ok' or what is wrong. */
  ready?: () => Promise<Record<string, string>>;
  /** Where `POST /admin/prompts` versions are kept (default: in process memory). */
  promptStore?: PromptStore;
  /** Watch the prompts directory for changes (default true). */
  watchPrompts?: boolean;
  /** Response cache store (default: in memory). */
  responseCache?: ResponseCacheStore;
  logger?: boolean;
  /** Where log lines go as JSON (default stdout, pretty-printed on a TTY); tests capture them. */
  logStream?: { write(line: string): void };
}

export interface App {
  app: FastifyInstance;
  gateway: Gateway;
  metrics: Metrics;
  prompts: PromptLibrary;
}

const ARRIVED = Symbol('tollgate.arrivedAt');

/** pino: JSON lines by default, pretty-printed when stdout is a terminal; auth headers never logged. */
function loggerOptions(enabled: boolean | undefined, stream: AppOptions['logStream'], level: string) {
  if (enabled === false) return false;
  const base = { level, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] };
  if (stream) return { ...base, stream };
  if (process.stdout.isTTY) return { ...base, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } };
  return base;
}

/** Builds the fastify app on a snapshot. Start-up work (compiling schemas, lists) happens here, never per request. */
export async function buildApp(opts: AppOptions): Promise<App> {
  const snap = opts.snapshot;
  const app = Fastify({
    logger: loggerOptions(opts.logger, opts.logStream, snap.logLevel),
    // No per-request log lines on the hot path: usage records and metrics carry that.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: snap.bodyLimitBytes,
    // Slow-loris: a client must send its headers, then its whole request, in time (408 and the
    // connection closes). Only receiving the request is bounded: Node stops the clock once the
    // request is complete, so long streaming responses are not cut. Node checks every
    // `connectionsCheckingInterval` (30 s by default — too coarse for a 30 s limit).
    requestTimeout: snap.requestTimeoutMs,
    http: {
      headersTimeout: snap.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(5_000, Math.max(50, Math.floor(snap.headersTimeoutMs / 4))),
    },
    // The arrival time is taken here, called once per request anyway: an onRequest hook for it
    // would cost a hook run per request.
    genReqId: (raw) => {
      (raw as { [ARRIVED]?: number })[ARRIVED] = performance.now();
      return newRequestId();
    },
    forceCloseConnections: true,
  });

  const metrics = createMetricsSink(modelLabeler(snap), snap.metricsTeamLabels);
  const extra = [...(opts.sinks ?? []), ...(opts.logger !== false ? [accessLogSink(app.log, snap.accessLog)] : [])];
  const sink: UsageSink = {
    record(rec) {
      metrics.sink.record(rec);
      for (const s of extra) s.record(rec);
    },
  };
  const gateway: Gateway = {
    snapshot: snap,
    sink,
    routing: createRouting(),
    responseCache: opts.responseCache ?? new MemoryResponseCache(),
    ...(opts.keys && { keys: opts.keys }),
    ...(opts.admission && { admission: opts.admission }),
  };
  if (snap.telemetry) {
    // Loaded only when configured (docs/tracing.md); spans still queued are exported on close.
    const tracing = (gateway.tracing = await startTracing(snap.telemetry, { secrets: snap.secrets, instanceId: snap.instanceId, warn: (m) => app.log.warn(m) }));
    app.addHook('onClose', () => tracing.shutdown());
  }
  app.decorate('gateway', gateway);
  authByRouteGroup(app);
  app.decorateRequest('rawBody', undefined);
  app.decorateRequest('startedAt', {
    getter() {
      return (this.raw as { [ARRIVED]?: number })[ARRIVED] ?? performance.now();
    },
  });

  // JSON bodies: keep the text for the pass-through path, parse once.
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    req.rawBody = text;
    if (!text.trim()) return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      return done(invalidRequest(`We could not parse the JSON body of your request (${(err as Error).message}).`, null, 'invalid_json'), undefined);
    }
    try {
      rejectNonFiniteNumbers(parsed);
    } catch (err) {
      return done(err as Error, undefined);
    }
    done(null, parsed);
  });

  app.setErrorHandler((err, req, reply) => {
    const e = err as Error;
    const shape = toShape(e, gateway.snapshot.secrets);
    if (shape.status >= 500) req.log.error({ err: { message: redactSecrets(e.message, gateway.snapshot.secrets), code: (e as { code?: string }).code } }, 'request failed');
    return sendError(req, reply, shape);
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(req, reply, { status: 404, type: 'invalid_request_error', code: 'not_found', message: `Unknown route: ${req.method} ${req.url.split('?')[0]}` }),
  );

  await app.register(healthRoutes, { metrics, ...(opts.ready && { ready: opts.ready }) });
  await app.register(modelRoutes);
  await app.register(capabilitiesRoutes);
  await app.register(catalogRoutes);

  // Prompts as REST APIs (docs/contract.md §5): files hot-reloaded + published versions, and their OpenAPI document.
  const prompts = new PromptLibrary(snap.promptsDir, opts.promptStore ?? new MemoryPromptStore(), app.log);
  await prompts.start(opts.watchPrompts ?? true);
  app.addHook('onClose', async () => prompts.close());
  // The client-facing APIs (chat, completions, embeddings, messages, prompt calls): one list, src/surfaces/index.ts;
  // every surface is called with a client key (auth group `key`: req.principal is set before the handler).
  const surfaceApp: SurfaceApp = { gateway, prompts };
  for (const s of SURFACES) for (const r of s.routes) app.route({ method: r.method, url: r.url, config: { auth: 'key' }, handler: (req, reply) => r.handler(surfaceApp, req, reply) });
  await app.register(promptRoutes, { library: prompts });
  await app.register(openapiRoutes, { library: prompts });
  await app.register(proxyRoutes);
  return { app, gateway, metrics, prompts };
}
