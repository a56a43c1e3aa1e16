import type { ServerResponse } from 'node:http';
import { RerankFieldError } from '../../providers/rerank-formats.js';
import type { RerankRequest, RerankResponse } from '../../providers/types.js';
import { rerankCostNanos } from '../metering/cost.js';
import { tokenUpperBound } from '../metering/tokens.js';
import type { UsageRecord, UsageSink } from '../metering/usage-record.js';
import type { RequestTrace } from '../telemetry/tracing.js';
import { admitTraced, type Admission, type AdmissionTicket } from './admission.js';
import type { Principal } from './auth.js';
import { dispatch } from './dispatch.js';
import { upstreamText, writeJsonAnswerHead } from './json-answer.js';
import { invalidRequest, redactSecrets } from './errors.js';
import type { Snapshot } from './runtime.js';
import { answeredBy, resolveOneShot, writeOneShotFailure } from './one-shot.js';
import { settleOnceFor } from './settle.js';
import { malformedUpstream } from './upstream-failure.js';
import type { CallSignal } from '../../providers/adapter.js';

export interface RerankCall {
  requestId: string;
  startedAt: number;
  principal: Principal;
  snapshot: Snapshot;
  /** The validated client body (src/surfaces/rerank/request.ts). */
  body: Record<string, any>;
  signal: CallSignal;
  sink: UsageSink;
  admission?: Admission;
  trace?: RequestTrace;
  res: ServerResponse;
}

/**
 * `POST /v1/rerank`: the request in the internal form, sent to the first target that reranks
 * (Cohere, or an OpenAI-compatible host with a rerank endpoint), answered in Cohere's shape
 * (`results`, `meta.billed_units`) plus the gateway's `usage` and cost, and metered as a
 * `rerank` record: search units where the catalog prices them, else tokens.
 */
export async function runRerank(call: RerankCall): Promise<void> {
  const rec: Partial<UsageRecord> = { status: 200, attempts: 0 };
  let ticket: AdmissionTicket | undefined;
  const settleOnce = settleOnceFor({ requestId: call.requestId, principal: call.principal, requestedModel: call.body.model, kind: 'rerank', startedAt: call.startedAt, signal: call.signal }, rec, call.sink, () => ticket, call.trace);
  try {
    const route = resolveOneShot(call.snapshot, call.principal, call.body.model, rec);
    const documents: string[] = call.body.documents.map((d: string | { text: string }) => (typeof d === 'string' ? d : d.text));
    if (call.admission) {
      ticket = await admitTraced(
        call.admission,
        { principal: call.principal, kind: 'rerank', targets: route.targets, promptTokens: () => tokenUpperBound(call.body.query) * documents.length + tokenUpperBound(documents.join('\n')), maxOutputTokens: 0 },
        call.trace,
      );
    }
    const internal = (model: string): RerankRequest => ({
      model,
      query: call.body.query,
      documents,
      ...(call.body.top_n !== undefined && { topN: call.body.top_n }),
      ...(call.body.max_tokens_per_doc !== undefined && { maxTokensPerDoc: call.body.max_tokens_per_doc }),
    });
    const d = await dispatch(
      call.snapshot,
      route,
      (t) => {
        const { adapter, config } = t.provider;
        if (!adapter.rerank) throw invalidRequest(`${config.name} does not offer rerank.`, 'model');
        try {
          return adapter.rerank.buildRequest(internal(t.model), config);
        } catch (err) {
          throw invalidRequest(`${config.name}: ${(err as Error).message}.`, err instanceof RerankFieldError ? err.param : 'model');
        }
      },
      call.signal,
      call.trace && { trace: call.trace },
    );
    const { provider } = d.target;
    answeredBy(d, rec);
    const text = await upstreamText(d, call.signal, call.snapshot);
    let r: RerankResponse;
    try {
      r = provider.adapter.rerank!.parseResponse(JSON.parse(text), internal(d.target.model));
    } catch (err) {
      throw malformedUpstream(provider.config.name, err instanceof SyntaxError ? 'a response body that is not JSON' : redactSecrets((err as Error).message, call.snapshot.secrets));
    }
    const price = call.snapshot.catalog.get(provider.catalogProvider, d.target.model, provider.priceRegion);
    rec.inputTokens = r.usage.inputTokens ?? 0;
    rec.costNanos = rerankCostNanos(r.usage, price).nanos;
    const payload = JSON.stringify(rerankAnswer(call, r, documents, rec.costNanos));
    writeJsonAnswerHead(call.res, payload, d, rec.costNanos, ticket, call.requestId);
    settleOnce();
    call.res.end(payload);
  } catch (err) {
    writeOneShotFailure(call.res, call.requestId, err, rec, ticket, call.trace);
  } finally {
    settleOnce();
    call.trace?.end();
  }
}

/** Cohere's rerank answer, with the documents when asked, the billed units, and the gateway's usage and cost. */
function rerankAnswer(call: RerankCall, r: RerankResponse, documents: string[], costNanos: number): Record<string, unknown> {
  const withDocs = call.body.return_documents === true;
  const results = r.results.slice(0, call.body.top_n ?? r.results.length).map((x) => ({
    index: x.index,
    relevance_score: x.relevanceScore,
    ...(withDocs && { document: { text: documents[x.index] } }),
  }));
  const billed: Record<string, number> = {};
  if (r.usage.searchUnits !== undefined) billed.search_units = r.usage.searchUnits;
  if (r.usage.inputTokens !== undefined) billed.input_tokens = r.usage.inputTokens;
  return {
    id: call.requestId,
    results,
    meta: { billed_units: billed },
    usage: { ...(r.usage.searchUnits !== undefined && { search_units: r.usage.searchUnits }), prompt_tokens: r.usage.inputTokens ?? 0, total_tokens: r.usage.inputTokens ?? 0, cost: costNanos / 1e9 },
  };
}

