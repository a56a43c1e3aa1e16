import type { UpstreamRequest } from '../../providers/adapter.js';
import type { ChatRequest } from '../../providers/types.js';
import type { ChatCall } from './chat-call.js';
import { invalidRequest } from './errors.js';
import { passesThrough } from './passthrough.js';
import type { AliasTarget } from './runtime.js';

/** The upstream request for one target: bytes passed through, or translated by the adapter. */
export function buildUpstream(call: ChatCall, target: AliasTarget, internal: () => ChatRequest): UpstreamRequest {
  const { adapter, config } = target.provider;
  const stream = call.surface.isStream(call.body);
  if (passesThrough(adapter, call.surface.wire)) {
    const { url, headers } = adapter.endpoint(config, call.surface.operation, target.model, stream);
    return { method: 'POST', url, headers: withForwardedHeaders(call, headers), body: call.surface.passthrough.requestBody(call.raw, call.body, target.model, { streamUsage: config.options.stream_usage !== false }) };
  }
  if (call.surface.operation === 'completions') {
    throw invalidRequest(`${config.name}: /v1/${call.surface.operation} is only available for OpenAI-format providers.`, 'model');
  }
  // Every top-level field is mapped, passed on verbatim, or refused by name (providers/capabilities.ts).
  let passedFields: Record<string, unknown> | undefined;
  const check = call.surface.checkParameters?.(config.type, call.body);
  if (check) {
    if (!check.ok) throw invalidRequest(`${config.name}: ${check.message}`, check.param);
    passedFields = check.passed;
  }
  // An adapter that cannot express the request throws: dispatch turns that into the client's 400.
  return adapter.chat.buildRequest({ ...internal(), model: target.model, ...(passedFields && { passedFields }) }, config);
}

/**
 * Client headers a pass-through surface names in `passthrough.forwardHeaders` because they change
 * what the upstream accepts (Anthropic's `anthropic-beta`: beta body fields are refused without
 * it). A value the provider config already sets comes first, the client's is appended (both are
 * comma-separated lists). Never auth headers: the surface lists names, the provider's key stays.
 */
function withForwardedHeaders(call: ChatCall, headers: Record<string, string>): Record<string, string> {
  const names = call.surface.passthrough.forwardHeaders ?? [];
  if (names.length === 0) return headers; // every surface but Anthropic Messages: nothing to copy
  const incoming = call.res.req?.headers ?? {};
  const out = { ...headers };
  for (const name of names) {
    const raw = incoming[name.toLowerCase()];
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    if (!value) continue;
    const key = Object.keys(out).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name.toLowerCase();
    out[key] = out[key] ? `${out[key]},${value}` : value;
  }
  return out;
}
