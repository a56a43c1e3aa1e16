import type { ServerResponse } from 'node:http';
import type { CallSignal, UpstreamRequest } from '../../providers/adapter.js';
import type { EmbeddingRequest } from '../../providers/types.js';
import { costNanos } from '../metering/cost.js';
import { countTokensAsync, tokenUpperBound } from '../metering/tokens.js';
import type { UsageRecord, UsageSink } from '../metering/usage-record.js';
import { admitTraced, type Admission, type AdmissionTicket } from './admission.js';
import type { Principal } from './auth.js';
import { dispatch } from './dispatch.js';
import { upstreamJson, writeJsonAnswerHead } from './json-answer.js';
import { encodeDataAsBase64, float32Base64, ignoredDimensions } from './embedding-vectors.js';
import { invalidRequest, redactSecrets } from './errors.js';
import { setTopLevel } from './json-splice.js';
import { passesThrough } from './passthrough.js';
import type { AliasTarget, Snapshot } from './runtime.js';
import { answeredBy, resolveOneShot, writeOneShotFailure } from './one-shot.js';
import { settleOnceFor } from './settle.js';
import { malformedUpstream } from './upstream-failure.js';
import type { RequestTrace } from '../telemetry/tracing.js';

export interface EmbeddingCall {
  requestId: string;
  startedAt: number;
  principal: Principal;
  snapshot: Snapshot;
  body: Record<string, any>;
  raw: string;
  signal: CallSignal;
  sink: UsageSink;
  /** Limits and budgets (teams-and-keys); absent = no limits. */
  admission?: Admission;
  /** The request's spans when tracing is on (docs/tracing.md). */
  trace?: RequestTrace;
  /** The engine writes the answer (or the error) itself. */
  res: ServerResponse;
  /** Called with the answer's vectors (numbers, or base64 float32 strings) before it is written: request logs store their sizes only. */
  answered?: (vectors: readonly unknown[]) => void;
}

/** The wire format of `POST /v1/embeddings` bodies: providers that accept it get the client's bytes. */
const WIRE = 'openai-embeddings';

/** `POST /v1/embeddings`: pass-through to OpenAI-format hosts, translated for the others. */
export async function runEmbeddings(call: EmbeddingCall): Promise<void> {
  const rec: Partial<UsageRecord> = { status: 200, attempts: 0 };
  let ticket: AdmissionTicket | undefined;
  const settleOnce = settleOnceFor({ requestId: call.requestId, principal: call.principal, requestedModel: call.body.model, kind: 'llm', startedAt: call.startedAt, signal: call.signal }, rec, call.sink, () => ticket, call.trace);
  try {
    const route = resolveOneShot(call.snapshot, call.principal, call.body.model, rec);
    const inputs: string[] = typeof call.body.input === 'string' ? [call.body.input] : call.body.input;
    if (call.admission) {
      ticket = await admitTraced(
        call.admission,
        {
          principal: call.principal,
          kind: 'llm',
          targets: route.targets,
          promptTokens: () => inputs.reduce((n, s: unknown) => n + (typeof s === 'string' ? 0 : Array.isArray(s) ? s.length : 1), 0) + tokenUpperBound(inputs.filter((s: unknown) => typeof s === 'string').join('\n')),
          maxOutputTokens: 0,
        },
        call.trace,
      );
    }
    const d = await dispatch(call.snapshot, route, (t) => upstreamRequest(call, t, inputs), call.signal, call.trace && { trace: call.trace });
    const { provider } = d.target;
    answeredBy(d, rec);
    const { text, json } = await upstreamJson(d, call.signal, call.snapshot);
    const price = call.snapshot.catalog.get(provider.catalogProvider, d.target.model, provider.priceRegion);
    const base64 = call.body.encoding_format === 'base64';
    let payload: string;
    let vectors: unknown[];
    if (passesThrough(provider.adapter, WIRE)) {
      if (!Array.isArray(json?.data)) throw malformedUpstream(provider.config.name, 'a JSON body that is not an embeddings list');
      const fromUpstream = typeof json?.usage?.prompt_tokens === 'number';
      const tokens = fromUpstream ? json.usage.prompt_tokens : await countInputs(inputs);
      rec.inputTokens = tokens;
      rec.estimated = !fromUpstream;
      rec.costNanos = costNanos({ inputTokens: tokens, outputTokens: 0 }, price).nanos;
      // The upstream's bytes, unless it sent number arrays to a client that asked for base64.
      const body = base64 && encodeDataAsBase64(json) ? JSON.stringify(json) : text;
      payload = fromUpstream ? body : setTopLevel(body, 'usage', JSON.stringify({ prompt_tokens: tokens, total_tokens: tokens }));
      vectors = Array.isArray(json?.data) ? json.data.map((row: any) => row?.embedding) : [];
    } else {
      let r;
      try {
        r = provider.adapter.embeddings!.parseResponse(json, { model: d.target.model, input: inputs });
      } catch (err) {
        throw malformedUpstream(provider.config.name, redactSecrets((err as Error).message, call.snapshot.secrets));
      }
      const tokens = r.usage.inputTokens || (await countInputs(inputs));
      rec.inputTokens = tokens;
      rec.estimated = !r.usage.inputTokens;
      rec.costNanos = costNanos({ inputTokens: tokens, outputTokens: 0 }, price).nanos;
      vectors = r.embeddings;
      payload = JSON.stringify({
        object: 'list',
        model: call.body.model,
        data: r.embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding: base64 ? float32Base64(embedding) : embedding })),
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
    }
    if (typeof call.body.dimensions === 'number') {
      // A model that cannot shorten its vectors may answer at its own size: never hand those out as asked.
      const got = ignoredDimensions(call.body.dimensions, vectors);
      if (got !== undefined) {
        throw invalidRequest(`${provider.config.name}/${d.target.model} does not support 'dimensions': it returned ${got}-dimensional vectors.`, 'dimensions');
      }
    }
    call.answered?.(vectors);
    writeJsonAnswerHead(call.res, payload, d, rec.costNanos ?? 0, ticket, call.requestId);
    // Recorded before the last bytes leave, as every answered call is (a kill -9 cannot lose it).
    settleOnce();
    call.res.end(payload);
  } catch (err) {
    writeOneShotFailure(call.res, call.requestId, err, rec, ticket, call.trace);
  } finally {
    settleOnce();
    call.trace?.end();
  }
}

/** The upstream request for one target: the client's bytes (model replaced) when its API accepts them, else translated. */
function upstreamRequest(call: EmbeddingCall, t: AliasTarget, inputs: string[]): UpstreamRequest {
  const { adapter, config } = t.provider;
  if (passesThrough(adapter, WIRE)) {
    const { url, headers } = adapter.endpoint(config, 'embeddings', t.model, false);
    return { method: 'POST', url, headers, body: call.body.model === t.model ? call.raw : setTopLevel(call.raw, 'model', JSON.stringify(t.model)) };
  }
  if (!adapter.embeddings) throw invalidRequest(`${config.name} does not offer embeddings.`, 'model');
  // Token ids are an OpenAI tokenizer's: another provider would embed their digits as text.
  if (!inputs.every((s) => typeof s === 'string')) throw invalidRequest(`${config.name} takes text input only: token-id arrays are for OpenAI-format providers.`, 'input');
  const req: EmbeddingRequest = { model: t.model, input: inputs };
  if (typeof call.body.dimensions === 'number') req.dimensions = call.body.dimensions;
  if (typeof call.body.input_type === 'string') req.inputType = call.body.input_type;
  return adapter.embeddings.buildRequest(req, config);
}

/** Estimated tokens of the inputs (the upstream gave none), counted without stalling the event loop. */
async function countInputs(inputs: unknown[]): Promise<number> {
  let n = 0;
  for (const s of inputs) n += await countTokensAsync(String(s));
  return n;
}
