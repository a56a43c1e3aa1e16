import type { EmbeddingRequest } from '../../providers/types.js';
import { costMicros } from '../metering/cost.js';
import { formatUsd } from '../metering/money.js';
import { countTokens } from '../metering/tokens.js';
import { usageRecord, type UsageRecord, type UsageSink } from '../metering/usage-record.js';
import type { Admission, AdmissionTicket } from './admission.js';
import type { Principal } from './auth.js';
import { dispatch, readText } from './dispatch.js';
import { GatewayError, invalidRequest } from './errors.js';
import { setTopLevel } from './json-splice.js';
import { checkTargetsAllowed } from './access.js';
import { resolveRoute } from './route.js';
import type { Snapshot } from './runtime.js';

export interface EmbeddingCall {
  requestId: string;
  startedAt: number;
  principal: Principal;
  snapshot: Snapshot;
  body: Record<string, any>;
  raw: string;
  signal: AbortSignal;
  sink: UsageSink;
  /** Limits and budgets (teams-and-keys); absent = no limits. */
  admission?: Admission;
}

export interface EmbeddingResult {
  status: number;
  headers: Record<string, string>;
  payload: string;
}

/** `POST /v1/embeddings`: pass-through to OpenAI-format hosts, translated for the others. */
export async function runEmbeddings(call: EmbeddingCall): Promise<EmbeddingResult> {
  const rec: Partial<UsageRecord> = { status: 200, attempts: 0 };
  let ticket: AdmissionTicket | undefined;
  try {
    const route = resolveRoute(call.snapshot, call.body.model);
    checkTargetsAllowed(call.principal, call.snapshot, call.body.model, route.targets);
    // Refused and failed requests are recorded under the resolved name too (the route's first target).
    rec.provider = route.targets[0]?.provider.config.name;
    rec.model = route.targets[0]?.model;
    const inputs: string[] = typeof call.body.input === 'string' ? [call.body.input] : call.body.input;
    if (call.admission) {
      ticket = await call.admission.admit({
        principal: call.principal,
        kind: 'llm',
        targets: route.targets,
        promptTokens: () => inputs.reduce((n, s: unknown) => n + (typeof s === 'string' ? countTokens(s) : Array.isArray(s) ? s.length : 1), 0),
        maxOutputTokens: 0,
      });
    }
    const d = await dispatch(
      call.snapshot,
      route,
      (t) => {
        const { adapter, config } = t.provider;
        if (adapter.dialect === 'openai') {
          const { url, headers } = adapter.endpoint(config, 'embeddings', t.model, false);
          return { method: 'POST', url, headers, body: call.body.model === t.model ? call.raw : setTopLevel(call.raw, 'model', JSON.stringify(t.model)) };
        }
        if (!adapter.embeddings) throw invalidRequest(`${config.name} does not offer embeddings.`, 'model');
        const req: EmbeddingRequest = { model: t.model, input: inputs.map(String) };
        if (typeof call.body.dimensions === 'number') req.dimensions = call.body.dimensions;
        return adapter.embeddings.buildRequest(req, config);
      },
      call.signal,
    );
    const { provider } = d.target;
    rec.provider = provider.config.name;
    rec.model = d.target.model;
    rec.attempts = d.attempts;
    const text = await readText(d.upstream.body);
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      throw new GatewayError({ status: 502, type: 'api_error', code: 'upstream_malformed', message: `${provider.config.name}: the provider sent a response body that is not JSON` });
    }
    const price = call.snapshot.catalog.get(provider.catalogProvider, d.target.model);
    let payload: string;
    if (provider.adapter.dialect === 'openai') {
      const fromUpstream = typeof json?.usage?.prompt_tokens === 'number';
      const tokens = fromUpstream ? json.usage.prompt_tokens : inputs.reduce((n, s) => n + countTokens(String(s)), 0);
      rec.inputTokens = tokens;
      rec.estimated = !fromUpstream;
      rec.costMicros = costMicros({ inputTokens: tokens, outputTokens: 0 }, price).micros;
      payload = fromUpstream ? text : setTopLevel(text, 'usage', JSON.stringify({ prompt_tokens: tokens, total_tokens: tokens }));
    } else {
      const r = provider.adapter.embeddings!.parseResponse(json, { model: d.target.model, input: inputs });
      const tokens = r.usage.inputTokens || inputs.reduce((n, s) => n + countTokens(String(s)), 0);
      rec.inputTokens = tokens;
      rec.estimated = !r.usage.inputTokens;
      rec.costMicros = costMicros({ inputTokens: tokens, outputTokens: 0 }, price).micros;
      payload = JSON.stringify({
        object: 'list',
        model: call.body.model,
        data: r.embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding })),
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
    }
    return {
      status: 200,
      payload,
      headers: {
        'x-tollgate-provider': provider.config.name,
        'x-tollgate-model': d.target.model,
        'x-tollgate-attempts': String(d.attempts),
        'x-tollgate-cost-usd': formatUsd(rec.costMicros ?? 0),
        ...ticket?.headers,
      },
    };
  } catch (err) {
    rec.status = err instanceof GatewayError ? err.status : 502;
    throw err;
  } finally {
    const usage = usageRecord(
      {
        requestId: call.requestId,
        teamId: call.principal.teamId,
        keyId: call.principal.keyId,
        kind: 'llm',
        provider: rec.provider ?? null,
        model: rec.model ?? null,
        requestedModel: typeof call.body.model === 'string' ? call.body.model : null,
        inputTokens: rec.inputTokens ?? 0,
        costMicros: rec.costMicros ?? 0,
        estimated: rec.estimated ?? false,
        status: rec.status ?? 200,
        attempts: rec.attempts ?? 0,
      },
      call.startedAt,
    );
    call.sink.record(usage);
    ticket?.settle(usage);
  }
}
