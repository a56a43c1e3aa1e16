import type { ProviderRuntime } from '../engine/runtime.js';
import { nanosToUsd } from '../metering/money.js';
import type { UsageRecord } from '../metering/usage-record.js';

/**
 * Span attributes: the OpenTelemetry GenAI semantic conventions (`gen_ai.*`, semantic-conventions
 * 1.45, written out as strings: the incubating constants module is large and would be loaded for
 * a dozen names) and tollgate's own under `tollgate.*`. Pure functions, no OTel import.
 */
export type Attributes = Record<string, string | number | boolean | string[]>;

/** Client-chosen text (model names) in a span name or attribute is cut to this many characters. */
export const MAX_NAME = 256;

export const cut = (s: string, max = MAX_NAME): string => (s.length > max ? s.slice(0, max) : s);

/** `gen_ai.provider.name`: the convention's well-known value for a catalog provider, else the catalog name itself. */
const WELL_KNOWN: Record<string, string> = {
  gemini: 'gcp.gemini',
  mistral: 'mistral_ai',
  azure: 'azure.ai.openai',
  xai: 'x_ai',
};

export function genAiProvider(p: ProviderRuntime): string {
  return WELL_KNOWN[p.catalogProvider] ?? p.catalogProvider;
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The sampling parameters a client sent, as GenAI request attributes (finite numbers only). */
export function requestParams(body: Record<string, unknown>, into: Attributes): void {
  const max = body.max_completion_tokens ?? body.max_tokens;
  if (num(max)) into['gen_ai.request.max_tokens'] = max;
  if (num(body.temperature)) into['gen_ai.request.temperature'] = body.temperature;
  if (num(body.top_p)) into['gen_ai.request.top_p'] = body.top_p;
  if (num(body.top_k)) into['gen_ai.request.top_k'] = body.top_k;
  if (num(body.n) && body.n !== 1) into['gen_ai.request.choice.count'] = body.n;
  if (body.stream === true) into['gen_ai.request.stream'] = true;
}

/** Finish reasons of an upstream body the engine parsed anyway: OpenAI `choices[].finish_reason`, Anthropic `stop_reason`. */
export function finishReasonsOf(json: unknown): string[] {
  const j = json as { choices?: unknown; stop_reason?: unknown } | null;
  if (typeof j?.stop_reason === 'string') return [j.stop_reason];
  if (!Array.isArray(j?.choices)) return [];
  const out: string[] = [];
  for (const c of j.choices.slice(0, 128)) {
    const r = (c as { finish_reason?: unknown } | null)?.finish_reason;
    if (typeof r === 'string') out.push(cut(r, 64));
  }
  return out;
}

/** The model an upstream body names (`model`), when it is a string. */
export function modelOf(json: unknown): string | undefined {
  const m = (json as { model?: unknown } | null)?.model;
  return typeof m === 'string' && m ? cut(m) : undefined;
}

/** The request span's figures, from the usage record the request settled with (the ledger's numbers). */
export function recordAttributes(rec: UsageRecord, providers: ReadonlyMap<string, ProviderRuntime>, aliases: ReadonlyMap<string, unknown>, into: Attributes): void {
  if (rec.teamId !== null) into['tollgate.team_id'] = rec.teamId;
  if (rec.keyId !== null) into['tollgate.key_id'] = rec.keyId;
  into['tollgate.attempts'] = rec.attempts;
  into['tollgate.cache_hit'] = rec.cached === true;
  into['tollgate.cost_usd'] = nanosToUsd(rec.costNanos);
  into['http.response.status_code'] = rec.status;
  if (rec.errorCode) into['tollgate.error_code'] = rec.errorCode;
  if (rec.kind === 'proxy') {
    if (rec.route) into['tollgate.route'] = rec.route;
    if (rec.bytesIn !== undefined) into['tollgate.bytes_in'] = rec.bytesIn;
    if (rec.bytesOut !== undefined) into['tollgate.bytes_out'] = rec.bytesOut;
    return;
  }
  if (rec.requestedModel) {
    into['tollgate.requested_model'] = cut(rec.requestedModel);
    if (aliases.has(rec.requestedModel)) into['tollgate.alias'] = rec.requestedModel;
  }
  if (rec.provider) {
    into['tollgate.provider'] = rec.provider;
    const p = providers.get(rec.provider);
    if (p) into['gen_ai.provider.name'] = genAiProvider(p);
  }
  if (rec.model) into['tollgate.model'] = cut(rec.model);
  if (rec.promptName) into['tollgate.prompt.name'] = rec.promptName;
  if (rec.promptVersion) into['tollgate.prompt.version'] = rec.promptVersion;
  into['gen_ai.usage.input_tokens'] = rec.inputTokens;
  into['gen_ai.usage.output_tokens'] = rec.outputTokens;
  if (rec.cachedTokens) into['gen_ai.usage.cache_read.input_tokens'] = rec.cachedTokens;
  if (rec.cacheWriteTokens) into['gen_ai.usage.cache_creation.input_tokens'] = rec.cacheWriteTokens;
  if (rec.reasoningTokens) into['gen_ai.usage.reasoning.output_tokens'] = rec.reasoningTokens;
  if (rec.estimated) into['tollgate.usage.estimated'] = true;
}
