import type * as Api from '@opentelemetry/api';
import { redactSecrets } from '../engine/errors.js';
import type { AliasTarget, Snapshot } from '../engine/runtime.js';
import type { UsageRecord } from '../metering/usage-record.js';
import type { GatewayErrorShape } from '../../providers/types.js';
import { cut, genAiProvider, recordAttributes, requestParams, type Attributes } from './attributes.js';
import type { AttemptError, AttemptTrace, RequestInit, RequestTrace } from './tracing.js';

/** What the spans need from OpenTelemetry: handed in by ./tracer.ts, which loads it (only `import type` here). */
export interface SpanEnv {
  api: typeof Api;
  tracer: Api.Tracer;
  propagator: Api.TextMapPropagator;
}

const MAX_ERROR_MESSAGE = 512;

/**
 * One request's spans (docs/tracing.md): a SERVER span named as the GenAI conventions say
 * (`chat gpt-4o`), children for admission and settlement, and a CLIENT span per upstream attempt
 * whose `traceparent` goes upstream. Attributes are ids, names and numbers only — never a
 * header, a body or a key; error messages are scrubbed of every configured secret.
 */
export class SpanTrace implements RequestTrace {
  private readonly span: Api.Span;
  private readonly ctx: Api.Context;
  private readonly snapshot: Snapshot;
  private readonly operation?: string;
  private readonly http?: { method: string; route: string };
  private stepSpan?: Api.Span;
  private rec?: UsageRecord;
  private error?: GatewayErrorShape;
  private responseModel?: string;
  private finishReasons?: string[];

  constructor(
    private readonly env: SpanEnv,
    init: RequestInit,
  ) {
    const { api } = env;
    this.snapshot = init.snapshot;
    this.operation = init.operation;
    this.http = init.http;
    const parent = env.propagator.extract(api.ROOT_CONTEXT, init.headers, api.defaultTextMapGetter);
    const attributes: Attributes = { 'tollgate.request_id': init.requestId };
    if (init.operation) {
      attributes['gen_ai.operation.name'] = init.operation;
      const model = init.body?.model;
      if (typeof model === 'string') attributes['gen_ai.request.model'] = cut(model);
      if (init.body) requestParams(init.body, attributes);
    } else if (init.http) attributes['http.request.method'] = init.http.method;
    // Named for what is known now; end() names it after the model once the name has resolved.
    this.span = env.tracer.startSpan(init.operation ?? init.http?.method ?? 'request', { kind: api.SpanKind.SERVER, startTime: init.startedAt, attributes }, parent);
    this.ctx = api.trace.setSpan(parent, this.span);
  }

  step(name: 'admit' | 'settle'): void {
    this.closeStep();
    this.stepSpan = this.env.tracer.startSpan(`tollgate.${name}`, { kind: this.env.api.SpanKind.INTERNAL }, this.ctx);
  }

  stepEnd(rec?: UsageRecord): void {
    if (rec) this.rec = rec;
    this.stepSpan?.end();
    this.stepSpan = undefined;
  }

  attempt(n: number, method: string, url: string, target?: AliasTarget): AttemptTrace {
    const { api, tracer, propagator } = this.env;
    const attributes: Attributes = { 'tollgate.attempt': n, 'http.request.method': method };
    let name = method;
    if (target) {
      const op = this.operation ?? 'chat';
      name = `${op} ${cut(target.model)}`;
      attributes['gen_ai.operation.name'] = op;
      attributes['gen_ai.provider.name'] = genAiProvider(target.provider);
      attributes['gen_ai.request.model'] = cut(target.model);
      attributes['tollgate.provider'] = target.provider.config.name;
    } else if (this.http) attributes['tollgate.route'] = this.http.route;
    serverAddress(url, attributes);
    const span = tracer.startSpan(name, { kind: api.SpanKind.CLIENT, attributes }, this.ctx);
    const headers: Record<string, string> = {};
    propagator.inject(api.trace.setSpan(this.ctx, span), headers, api.defaultTextMapSetter);
    return new Attempt(this.env, span, headers, this.snapshot.secrets);
  }

  answered(model: string | undefined, finishReasons: readonly string[]): void {
    if (model) this.responseModel = model;
    if (finishReasons.length) (this.finishReasons ??= []).push(...finishReasons);
  }

  fail(e: GatewayErrorShape): void {
    this.error = e;
  }

  /** Ends an open step; one an error left open (admission refused the request) is where the request failed. */
  private closeStep(): void {
    const step = this.stepSpan;
    if (!step) return;
    const e = this.error;
    if (e) setError(this.env, step, e.code ?? String(e.status), e.message, this.snapshot.secrets);
    step.end();
    this.stepSpan = undefined;
  }

  end(): void {
    const e = this.error;
    this.closeStep();
    const span = this.span;
    if (span.isRecording()) {
      const rec = this.rec;
      const attributes: Attributes = {};
      if (rec) {
        recordAttributes(rec, this.snapshot.providers, this.snapshot.aliases, attributes);
        if (this.operation) {
          const model = this.responseModel ?? rec.model;
          if (model) attributes['gen_ai.response.model'] = cut(model);
          if (this.finishReasons) attributes['gen_ai.response.finish_reasons'] = this.finishReasons;
          // `{operation} {model}` once the name resolved (a name that did not may be anything a client typed).
          if (rec.model && rec.requestedModel) span.updateName(`${this.operation} ${cut(rec.requestedModel)}`);
        } else if (this.http) span.updateName(`${this.http.method} ${this.http.route}`);
      }
      span.setAttributes(attributes);
      const status = rec?.status ?? e?.status ?? 200;
      // HTTP server convention: a 5xx is the server's error; a 4xx says the client's (error.type, no error status).
      if (e || status >= 400) span.setAttribute('error.type', e?.code ?? rec?.errorCode ?? String(status));
      if (status >= 500) setError(this.env, span, undefined, e?.message ?? `status ${status}`, this.snapshot.secrets);
    }
    span.end();
  }
}

class Attempt implements AttemptTrace {
  constructor(
    private readonly env: SpanEnv,
    private readonly span: Api.Span,
    readonly headers: Record<string, string>,
    private readonly secrets: readonly string[],
  ) {}

  end(status: number | undefined, error?: AttemptError): void {
    if (status !== undefined) this.span.setAttribute('http.response.status_code', status);
    // HTTP client convention: any 4xx/5xx and every failed connection is an error of the call.
    if (error) setError(this.env, this.span, error.code ?? (status !== undefined ? String(status) : 'error'), error.message, this.secrets);
    this.span.end();
  }
}

function setError(env: SpanEnv, span: Api.Span, type: string | undefined, message: string, secrets: readonly string[]): void {
  if (type) span.setAttribute('error.type', type);
  span.setStatus({ code: env.api.SpanStatusCode.ERROR, message: cut(redactSecrets(message, secrets), MAX_ERROR_MESSAGE) });
}

/** `server.address` / `server.port` of an upstream URL: never the URL itself (a path or query may carry a token, userinfo a password). */
function serverAddress(url: string, into: Attributes): void {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return; // the in-process mock provider (mock://)
    into['server.address'] = u.hostname;
    into['server.port'] = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  } catch {
    // not a URL: no address
  }
}
