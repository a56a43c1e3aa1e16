/**
 * The two rerank wire formats hosts speak, as pure functions (used by the Cohere adapter and by
 * OpenAI-compatible hosts that rerank):
 * - `cohere`: `{model, query, documents, top_n, max_tokens_per_doc}` → `{results:[{index, relevance_score}],
 *   meta:{billed_units:{search_units}}}` (Cohere `/v2/rerank`; Jina's `/v1/rerank` takes the same
 *   body and answers `results` with `usage.total_tokens`);
 * - `voyage`: `{model, query, documents, top_k}` → `{data:[{index, relevance_score}], usage:{total_tokens}}`.
 * Documents are never asked back: the gateway has them and adds them when the client asks.
 */
import { snippet } from './kit/redact.js';
import type { RerankRequest, RerankResponse } from './types.js';

export type RerankFormat = 'cohere' | 'voyage';

/** A request field the host's rerank format cannot carry: the client's 400, naming the field. */
export class RerankFieldError extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
  }
}

export function rerankBody(format: RerankFormat, req: RerankRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { model: req.model, query: req.query, documents: req.documents };
  if (format === 'voyage') {
    // Voyage truncates to the model's context (`truncation`), with no per-document cap: refused rather than dropped.
    if (req.maxTokensPerDoc !== undefined) throw new RerankFieldError("Voyage's rerank has no max_tokens_per_doc", 'max_tokens_per_doc');
    if (req.topN !== undefined) body.top_k = req.topN;
    return body;
  }
  if (req.topN !== undefined) body.top_n = req.topN;
  if (req.maxTokensPerDoc !== undefined) body.max_tokens_per_doc = req.maxTokensPerDoc;
  return body;
}

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

/** Either format's answer (`results` or Voyage's `data`): both name documents by `index` with a `relevance_score`. */
export function parseRerankBody(body: unknown, req: RerankRequest, who: string): RerankResponse {
  const b = (body ?? {}) as Record<string, any>;
  const rows: unknown = Array.isArray(b.results) ? b.results : b.data;
  if (!Array.isArray(rows)) throw new Error(`${who} rerank response has no results list: ${snippet(JSON.stringify(body) ?? String(body))}`);
  const results = rows.map((r: any, i) => {
    const index = r?.index;
    const score = r?.relevance_score;
    if (!Number.isInteger(index) || index < 0 || index >= req.documents.length || typeof score !== 'number' || !Number.isFinite(score)) {
      throw new Error(`${who} rerank response: result ${i} does not name a document and a finite relevance_score`);
    }
    return { index: index as number, relevanceScore: score };
  });
  const usage: RerankResponse['usage'] = {};
  const units = count(b.meta?.billed_units?.search_units);
  if (units !== undefined) usage.searchUnits = units;
  const tokens = count(b.usage?.total_tokens) ?? count(b.meta?.billed_units?.input_tokens);
  if (tokens !== undefined) usage.inputTokens = tokens;
  return { results, usage };
}
