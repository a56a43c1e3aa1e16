import type { Operation, ProviderAdapter } from '../../../providers/adapter.js';

/**
 * The allow-list of native paths per wire dialect, relative to `/providers/{name}/`: only these
 * are forwarded, each to the URL the provider's adapter builds for the operation (its base URL,
 * its API version, its auth), so a client can reach nothing else on the host. A model in the
 * path is a capture; otherwise it is the body's `model`. A path that fixes streaming says so.
 */
interface Rule {
  path: RegExp;
  op: Operation;
  stream?: boolean;
}

export const NATIVE_PATHS: Readonly<Record<ProviderAdapter['dialect'], readonly Rule[]>> = {
  openai: [
    { path: /^chat\/completions$/, op: 'chat' },
    { path: /^completions$/, op: 'completions' },
    { path: /^embeddings$/, op: 'embeddings' },
    { path: /^responses$/, op: 'responses' },
  ],
  mistral: [
    { path: /^v1\/chat\/completions$/, op: 'chat' },
    { path: /^v1\/embeddings$/, op: 'embeddings' },
  ],
  anthropic: [{ path: /^v1\/messages$/, op: 'chat' }],
  gemini: [
    { path: /^v1(?:beta)?\/models\/([^/:]+):generateContent$/, op: 'chat', stream: false },
    { path: /^v1(?:beta)?\/models\/([^/:]+):streamGenerateContent$/, op: 'chat', stream: true },
  ],
  bedrock: [
    { path: /^model\/([^/]+)\/converse$/, op: 'chat', stream: false },
    { path: /^model\/([^/]+)\/converse-stream$/, op: 'chat', stream: true },
  ],
  // Vertex AI: not forwarded yet (no test of its native usage reading here); use /v1 for Vertex models.
  vertex: [],
  // Cohere: not forwarded yet (no test of its native usage reading here); use /v1 and /v1/rerank.
  cohere: [],
};

export interface NativeMatch {
  op: Operation;
  /** From the path, decoded; absent: the body's `model`. */
  model?: string;
  stream?: boolean;
}

/** The allowed operation for a path (still percent-encoded, no query), or undefined. */
export function matchNativePath(dialect: ProviderAdapter['dialect'], path: string): NativeMatch | undefined {
  for (const rule of NATIVE_PATHS[dialect]) {
    const m = rule.path.exec(path);
    if (!m) continue;
    let model: string | undefined;
    if (m[1] !== undefined) {
      try {
        model = decodeURIComponent(m[1]);
      } catch {
        return undefined;
      }
    }
    return { op: rule.op, ...(model !== undefined && { model }), ...(rule.stream !== undefined && { stream: rule.stream }) };
  }
  return undefined;
}

/** The allowed paths of a dialect, for error messages and docs. */
export function allowedPaths(dialect: ProviderAdapter['dialect']): string[] {
  return NATIVE_PATHS[dialect].map((r) => r.path.source.replace(/^\^|\$$/g, '').replace(/\\\//g, '/').replace('([^/:]+)', '{model}').replace('([^/]+)', '{modelId}').replace('(?:beta)?', 'beta'));
}
