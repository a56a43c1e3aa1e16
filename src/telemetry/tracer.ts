// Types only: the packages themselves are loaded in startTracing (see `load` below).
import type * as Api from '@opentelemetry/api';
import type * as Core from '@opentelemetry/core';
import type * as Otlp from '@opentelemetry/exporter-trace-otlp-http';
import type * as Resources from '@opentelemetry/resources';
import type * as Sdk from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { redactSecrets } from '../engine/errors.js';
import type { TelemetrySettings } from '../engine/runtime.js';
import { SpanTrace, type SpanEnv } from './spans.js';
import type { Tracing } from './tracing.js';

/** Export failures are logged at most this often (a collector down for an hour is one line a minute). */
const EXPORT_WARN_EVERY_MS = 60_000;
const SHUTDOWN_WAIT_MS = 2_000;

/**
 * Starts OpenTelemetry for a configured `telemetry:` (docs/tracing.md): a tracer provider with
 * a parent-based ratio sampler, a BatchSpanProcessor and the OTLP/HTTP exporter (JSON) posting
 * to `<endpoint>/v1/traces` with the configured headers. The packages are loaded here, with
 * `import()`, so a gateway without tracing never loads them (~150 ms of start-up, and memory).
 * Nothing is registered globally: two gateways in one process (tests) keep their own.
 */
export async function startTracing(settings: TelemetrySettings, opts: { secrets: readonly string[]; instanceId?: string; warn(message: string): void }): Promise<Tracing> {
  const [api, core, sdk, resources, otlp] = await Promise.all([
    load<typeof Api>('@opentelemetry/api'),
    load<typeof Core>('@opentelemetry/core'),
    load<typeof Sdk>('@opentelemetry/sdk-trace-base'),
    load<typeof Resources>('@opentelemetry/resources'),
    load<typeof Otlp>('@opentelemetry/exporter-trace-otlp-http'),
  ]);
  const otlpExporter = new otlp.OTLPTraceExporter({ url: `${settings.endpoint}/v1/traces`, headers: { ...settings.headers } });
  // A failed export is one warn line (scrubbed: a collector may echo the API key it refused), then silence for a minute.
  let lastWarn = 0;
  const where = withoutUserinfo(settings.endpoint);
  const exporter: SpanExporter = {
    export(spans, done) {
      // The batch processor exports from inside span.end() when a batch fills up — inside some
      // request, before its response's last bytes. Serialising 512 spans takes milliseconds: it
      // runs on the next turn of the event loop instead, after that response is written.
      setImmediate(() => otlpExporter.export(spans, (result) => {
        if (result.code !== core.ExportResultCode.SUCCESS && Date.now() - lastWarn > EXPORT_WARN_EVERY_MS) {
          lastWarn = Date.now();
          opts.warn(`telemetry: exporting ${spans.length} spans to ${where} failed (${redactSecrets(result.error?.message ?? 'unknown error', opts.secrets)}); later failures within a minute are not logged`);
        }
        done(result);
      }));
    },
    shutdown: () => otlpExporter.shutdown(),
    forceFlush: () => otlpExporter.forceFlush(),
  };
  const provider = new sdk.BasicTracerProvider({
    resource: resources.defaultResource().merge(
      resources.resourceFromAttributes({
        'service.name': settings.serviceName,
        ...(opts.instanceId && { 'service.instance.id': opts.instanceId }),
      }),
    ),
    sampler: new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(settings.sampleRatio) }),
    // A backstop: every attribute we set is an id, a name or a number.
    spanLimits: { attributeValueLengthLimit: 1024 },
    spanProcessors: [new sdk.BatchSpanProcessor(exporter)],
  });
  const env: SpanEnv = { api, tracer: provider.getTracer('tollgate'), propagator: new core.W3CTraceContextPropagator() };
  let stopped: Promise<void> | undefined;
  return {
    request: (init) => new SpanTrace(env, init),
    // A failed export was logged by the exporter above: flushing and closing never fail because of it.
    flush: () => provider.forceFlush().catch(() => {}),
    // A collector that is down is retried by the exporter for up to its timeout: closing waits 2 s at most.
    shutdown: () => (stopped ??= Promise.race([provider.shutdown().catch(() => {}), new Promise<void>((r) => setTimeout(r, SHUTDOWN_WAIT_MS).unref())])),
  };
}

/**
 * `import()` of a package by a name known only at run time: the esbuild bundle (dist/tollgate.mjs)
 * leaves it alone, so the SDK and the API it talks to are the node_modules copies, loaded now —
 * not bundled, not parsed at start. (prom-client bundles its own use of @opentelemetry/api.)
 */
const load = <T>(name: string): Promise<T> => import(name) as Promise<T>;

function withoutUserinfo(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.origin + u.pathname.replace(/\/+$/, '');
}
