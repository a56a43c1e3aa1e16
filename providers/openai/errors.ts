import type { UpstreamErrorInput } from '../adapter.js';
import type { GatewayErrorShape } from '../types.js';

/**
 * An OpenAI-format upstream error → the gateway's error. The upstream's own status is kept for
 * errors the client caused (400/404/413/422) and for 429; an upstream 401/403 means the
 * *gateway's* provider key was refused — not the client's fault — so it becomes a 502; other
 * 5xx become 502, except 503/504 which keep their meaning.
 */
export function parseOpenAIError({ status, body, headers }: UpstreamErrorInput): GatewayErrorShape {
  let message: string | undefined;
  let code: string | null = null;
  let param: string | null = null;
  let upstreamType: string | undefined;
  try {
    const json = JSON.parse(body) as any;
    const e = json?.error ?? json;
    if (typeof e === 'string') message = e;
    else if (e && typeof e === 'object') {
      if (typeof e.message === 'string') message = e.message;
      if (typeof e.code === 'string') code = e.code;
      if (typeof e.param === 'string') param = e.param;
      if (typeof e.type === 'string') upstreamType = e.type;
    }
    if (!message && typeof json?.detail === 'string') message = json.detail;
  } catch {
    // not JSON: fall through to the raw-text message below
  }
  message ??= body.trim() ? `upstream said: ${body.trim().slice(0, 200)}` : `upstream returned HTTP ${status}`;
  return mapUpstreamStatus(status, message, { code, param, upstreamType, retryAfter: retryAfterSeconds(headers) });
}

export function mapUpstreamStatus(
  status: number,
  message: string,
  extra: { code?: string | null; param?: string | null; upstreamType?: string; retryAfter?: number } = {},
): GatewayErrorShape {
  const base = { message, param: extra.param ?? null };
  if (status === 429) {
    const quota = extra.code === 'insufficient_quota' || extra.upstreamType === 'insufficient_quota';
    return { ...base, status: 429, type: quota ? 'insufficient_quota' : 'rate_limit_error', code: quota ? 'insufficient_quota' : 'rate_limit_exceeded', retryAfter: extra.retryAfter };
  }
  if (status === 401 || status === 403) {
    return { ...base, status: 502, type: 'upstream_error', code: 'upstream_auth_failed', message: `the provider refused the gateway's credentials (HTTP ${status}): ${message}` };
  }
  if (status === 404) return { ...base, status: 404, type: 'invalid_request_error', code: extra.code ?? 'model_not_found' };
  if (status === 413) return { ...base, status: 413, type: 'invalid_request_error', code: 'request_too_large' };
  if (status >= 400 && status < 500) return { ...base, status: 400, type: 'invalid_request_error', code: extra.code ?? null };
  if (status === 503 || status === 529) return { ...base, status: 503, type: 'api_error', code: 'upstream_unavailable', retryAfter: extra.retryAfter };
  if (status === 504) return { ...base, status: 504, type: 'api_error', code: 'upstream_timeout' };
  return { ...base, status: 502, type: 'api_error', code: 'upstream_error' };
}

export function retryAfterSeconds(headers: UpstreamErrorInput['headers']): number | undefined {
  const raw = headers['retry-after'];
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (!v) return undefined;
  const n = Number(v);
  if (Number.isFinite(n) && n >= 0) return n;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
