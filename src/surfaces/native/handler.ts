import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UpstreamRequest } from '../../../providers/adapter.js';
import type { Usage } from '../../../providers/types.js';
import { admitTraced, type AdmissionTicket } from '../../engine/admission.js';
import { checkTargetsAllowed } from '../../engine/access.js';
import { abortOnClientClose } from '../../engine/client-connection.js';
import { dispatch, readText } from '../../engine/dispatch.js';
import { refusalHeaders, writeErrorResponse } from '../../engine/error-response.js';
import { invalidRequest, notFound, openAIErrorBody, redactSecrets } from '../../engine/errors.js';
import { checkOutputCap } from '../../engine/output-cap.js';
import type { Route } from '../../engine/route.js';
import type { AliasTarget } from '../../engine/runtime.js';
import { recordedStatus, settle } from '../../engine/settle.js';
import { bodyReadError, failedWith } from '../../engine/upstream-failure.js';
import { costNanos } from '../../metering/cost.js';
import { formatUsd } from '../../metering/money.js';
import { countTokensAsync } from '../../metering/tokens.js';
import type { Gateway } from '../../server/gateway.js';
import { nativePromptBound, outputAsk } from './limits.js';
import { pipeObservingUsage } from './observe-stream.js';
import { allowedPaths, matchNativePath } from './paths.js';

/** Client headers that change what an upstream accepts (never auth: the provider's key stays). */
const FORWARDED = ['anthropic-beta'];
const MAX_MODEL_LENGTH = 256;
/** The model goes into response headers and the ledger: printable ASCII only (as on /v1). */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

/**
 * `POST /providers/{name}/{native path}`: the client's body, byte for byte, to the configured
 * provider `name` at an allowed path (./paths.ts), with that provider's auth (its headers, or its
 * per-attempt `sign`: Bedrock's SigV4 over the forwarded body), under the same key auth, limits,
 * budget reservation and ledger as `/v1`. The answer goes back as the upstream sent it; the usage
 * is read from it with the adapter's own readers and priced from the catalog.
 */
export async function handleNative(gw: Gateway, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const snapshot = gw.snapshot;
  const principal = req.principal;
  const name = (req.params as { name: string }).name;
  const provider = snapshot.providers.get(name);
  if (!provider) throw notFound(`No provider '${name}' is configured on this gateway.`);
  const url = req.url;
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).slice(`/providers/${encodeURIComponent(name)}/`.length);
  const dialect = provider.adapter.dialect;
  const match = matchNativePath(dialect, path);
  if (!match) throw notFound(`'${path}' is not a native path this gateway forwards to '${name}' (${dialect}: ${allowedPaths(dialect).join(', ')}).`);
  const body = req.body;
  const raw = req.rawBody;
  if (!body || typeof body !== 'object' || Array.isArray(body) || raw === undefined) throw invalidRequest('The request body must be a JSON object.');
  const b = body as Record<string, any>;
  const model = match.model ?? b.model;
  if (typeof model !== 'string' || !model || model.length > MAX_MODEL_LENGTH || NOT_PRINTABLE_ASCII.test(model)) {
    throw invalidRequest(`'model' must be a model name of 1 to ${MAX_MODEL_LENGTH} printable ASCII characters.`, 'model');
  }
  const stream = match.stream ?? b.stream === true;
  const requested = `${name}/${model}`;
  // Recorded and limited as the /v1 surface of the same operation is.
  const kind = match.op === 'responses' ? 'responses' : 'llm';
  const target: AliasTarget = { provider, model, weight: 1 };
  const route: Route = { requested, strategy: 'fallback', targets: [target] };
  checkTargetsAllowed(principal, snapshot, requested, route.targets);
  const ask = outputAsk(dialect, match.op, b);
  checkOutputCap(snapshot, route.targets, ask.max, ask.param);

  reply.hijack();
  const res = reply.raw;
  const signal = abortOnClientClose(res);
  let headers: Record<string, string> = { 'x-request-id': req.id };
  let ticket: AdmissionTicket | undefined;
  let usage: Usage | undefined;
  let cost = 0;
  const out: { status: number; attempts: number; errorCode?: string } = { status: 200, attempts: 0 };
  let recorded = false;
  const record = (): void => {
    if (recorded) return;
    recorded = true;
    settle(
      {
        requestId: req.id,
        time: Date.now(),
        teamId: principal.teamId,
        keyId: principal.keyId,
        kind,
        provider: name,
        model,
        requestedModel: requested,
        route: `providers/${name}`,
        inputTokens: usage?.inputTokens ?? 0,
        outputTokens: usage?.outputTokens ?? 0,
        cachedTokens: usage?.cachedInputTokens ?? 0,
        cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
        reasoningTokens: usage?.reasoningTokens ?? 0,
        costNanos: cost,
        estimated: usage?.estimated ?? false,
        latencyMs: Math.round(performance.now() - req.startedAt),
        status: recordedStatus(out.status, signal),
        attempts: out.attempts,
        ...(out.errorCode && { errorCode: out.errorCode }),
      },
      gw.sink,
      ticket,
      undefined,
    );
  };
  const priced = (u: Usage): void => {
    usage = u;
    cost = costNanos(u, snapshot.catalog.get(provider.catalogProvider, model, provider.priceRegion)).nanos;
  };
  /** Usage the upstream did not report: the request's text and what was delivered, counted. */
  const estimate = async (delivered: string, running?: Usage): Promise<Usage> => {
    const outputTokens = await countTokensAsync(delivered);
    if (running) return { ...running, partial: undefined, outputTokens: Math.max(running.outputTokens, outputTokens), estimated: true };
    return { inputTokens: await countTokensAsync(raw), outputTokens, estimated: true };
  };

  try {
    if (gw.admission) {
      ticket = await admitTraced(
        gw.admission,
        { principal, kind, targets: route.targets, promptTokens: () => nativePromptBound(raw), maxOutputTokens: ask.max, choices: ask.choices },
        undefined,
      );
      headers = { ...headers, ...ticket.headers };
    }
    const incoming = req.headers;
    const build = (t: AliasTarget): UpstreamRequest => {
      const e = t.provider.adapter.endpoint(t.provider.config, match.op, t.model, stream);
      const h = { ...e.headers };
      for (const f of FORWARDED) if (dialect === 'anthropic' && typeof incoming[f] === 'string') h[f] = h[f] ? `${h[f]},${incoming[f]}` : (incoming[f] as string);
      return { method: 'POST', url: e.url, headers: h, body: raw };
    };
    const d = await dispatch(snapshot, route, build, signal, { routing: gw.routing });
    out.attempts = d.attempts;
    const contentType = d.upstream.headers['content-type'];
    const answer = {
      ...headers,
      'x-tollgate-provider': name,
      'x-tollgate-model': model,
      'x-tollgate-attempts': String(out.attempts),
      ...(typeof contentType === 'string' && { 'content-type': contentType }),
    };
    if (!stream) {
      const text = await readText(d.upstream.body).catch((err) => {
        throw bodyReadError(name, err, signal, snapshot.secrets);
      });
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      priced(provider.adapter.usageFromBody(json) ?? (await estimate(text)));
      // Recorded before the last bytes go out, as on /v1: a completed answer always has its record.
      record();
      res.writeHead(d.upstream.status, { ...answer, 'content-length': Buffer.byteLength(text), 'x-tollgate-cost-usd': formatUsd(cost) });
      res.end(text);
      return;
    }
    res.writeHead(d.upstream.status, { ...answer, 'cache-control': 'no-cache' });
    const seen = await pipeObservingUsage(d.upstream.body, res, provider.adapter, model);
    priced(seen.usage && !seen.usage.partial ? seen.usage : await estimate(seen.heldText, seen.usage));
    record();
    res.end();
  } catch (err) {
    const e = failedWith(err, out, undefined);
    if (!res.headersSent) {
      const limits = refusalHeaders(err);
      writeErrorResponse(res, { ...e.shape, message: redactSecrets(e.shape.message, snapshot.secrets) }, openAIErrorBody, { ...headers, ...limits });
    } else if (!res.writableEnded) res.end();
  } finally {
    record();
  }
}
