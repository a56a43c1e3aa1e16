/**
 * The provider adapter contract: pure data-to-data functions. An adapter never opens a socket,
 * reads files, logs or knows about tenants — the engine owns transport, SSE framing, retries,
 * fallbacks and metering (docs/architecture.md §3). One adapter per wire dialect; OpenAI-compatible hosts are
 * a data table over the OpenAI adapter (providers/openai-compatible/presets.ts).
 */
import type {
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  GatewayErrorShape,
  RerankRequest,
  RerankResponse,
  StreamEvent,
  Usage,
} from './types.js';

/** A configured provider instance, resolved from config at start-up (frozen). */
export interface ProviderConfig {
  /** Configured name: the `<provider>` in `<provider>/<model>` (e.g. `groq`, `azure-eu`). */
  name: string;
  /** Adapter type: openai | openai-compatible | anthropic | gemini | mistral | mock. */
  type: string;
  /** Base URL with the meaning it has in the provider's official SDK (docs/contract.md §2), no trailing slash. */
  baseUrl: string;
  apiKey?: string;
  /** Extra headers sent on every upstream request. */
  headers: Readonly<Record<string, string>>;
  /** Adapter-specific settings (e.g. Azure `api_version`, preset auth scheme, mock latency). */
  options: Readonly<Record<string, unknown>>;
}

export type Operation = 'chat' | 'embeddings' | 'completions' | 'responses' | 'images';

/** Everything the engine needs to send one upstream request. */
export interface UpstreamRequest {
  method: 'POST' | 'GET';
  /** Absolute URL, built from ProviderConfig.baseUrl. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** One parsed SSE frame, as the engine's single SSE parser yields it. */
export interface SseFrame {
  /** The `event:` field, when the upstream names its events (Anthropic). */
  event?: string;
  data: string;
}

/**
 * A stream mapper is a reducer over explicit state: the engine feeds it parsed SSE frames in
 * order and forwards the internal events it returns. `end` is called once when the upstream
 * body ends (cleanly or not) and may emit a final error if the stream was cut short.
 */
export interface StreamMapper<S = unknown> {
  /**
   * The upstream body's framing, for a dialect that does not stream SSE (Bedrock's binary
   * event stream): bytes → frames in order. Absent: the engine's SSE parser.
   */
  frames?(body: AsyncIterable<Uint8Array>): AsyncIterable<SseFrame>;
  init(request: ChatRequest): S;
  step(state: S, frame: SseFrame): StreamEvent[];
  end(state: S): StreamEvent[];
}

export interface UpstreamErrorInput {
  status: number;
  /** Raw body text (may be empty, HTML, or garbage). */
  body: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** What a transport hands back: status, headers, and the body as a byte stream. */
export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Uint8Array>;
}

/**
 * An in-process transport, for the built-in `mock` provider only (demos, smoke tests,
 * benchmarks with no network): it answers an UpstreamRequest without a socket, speaking the
 * adapter's wire format, so every other stage of the engine runs exactly as for a real host.
 */
export type LocalTransport = (req: UpstreamRequest, cfg: ProviderConfig, signal: CallSignal) => Promise<UpstreamResponse>;

/**
 * The part of an AbortSignal a call's signal offers (an AbortSignal is one): aborted when the client
 * goes away. The gateway's per-request signal is a lighter object than an AbortController's
 * (src/engine/client-connection.ts); undici and the engine need only these members.
 */
export interface CallSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface FetchedCredential {
  token: string;
  /** Epoch milliseconds (Infinity: never). */
  expiresAt: number;
}

export interface ProviderAdapter {
  /** The wire dialect this adapter speaks upstream. */
  dialect: 'openai' | 'anthropic' | 'gemini' | 'mistral' | 'bedrock' | 'vertex' | 'cohere';

  /**
   * The client wire formats (an inbound surface's `wire`: `openai-chat`, `anthropic-messages`…)
   * this adapter's upstream accepts untouched. A request in one of them takes the pass-through
   * path: bytes forwarded, response piped and only observed (docs/architecture.md §2).
   */
  passThrough?: readonly string[];

  /** Models this provider type always serves, listed by `GET /v1/models` instead of the catalog's (the mock's). */
  staticModels?: readonly string[];

  /**
   * Auth that needs the whole request and a clock (AWS SigV4: the signature covers the body and
   * the time), which a pure `buildRequest` cannot add. The engine calls it once per attempt,
   * just before sending, so a retry is signed afresh; absent for every adapter whose auth is a header.
   */
  sign?(req: UpstreamRequest, cfg: ProviderConfig, now: Date): Promise<UpstreamRequest>;

  /**
   * A bearer token that must be fetched before a request can be sent (an OAuth2 access token
   * for a signed JWT). The adapter only says how to ask, how to read the answer and where the
   * token goes; the engine sends the token request, keeps the token until shortly before it
   * expires, shares one refresh among concurrent requests, and applies it once per attempt.
   */
  credential?: {
    /** The token request — or the token itself when the config carries a ready one (nothing to fetch). */
    request(cfg: ProviderConfig, now: Date): UpstreamRequest | FetchedCredential;
    /** The token and when it expires from the endpoint's JSON answer; throws on a shape it cannot read. */
    parse(body: unknown, now: Date): FetchedCredential;
    /** The request carrying the token (its auth header). */
    apply(req: UpstreamRequest, token: string): UpstreamRequest;
  };

  /** Set only by the built-in mock provider; every real adapter goes through the engine's HTTP transport. */
  localTransport?: LocalTransport;

  /** URL and auth headers for an operation (used by pass-through and by buildRequest). */
  endpoint(cfg: ProviderConfig, op: Operation, model: string, stream: boolean): { url: string; headers: Record<string, string> };

  chat: {
    buildRequest(request: ChatRequest, cfg: ProviderConfig): UpstreamRequest;
    /** `body` is the parsed upstream JSON; throw an Error with a clear message on a shape it cannot read. */
    parseResponse(body: unknown, request: ChatRequest): ChatResponse;
    stream: StreamMapper<any>;
  };

  embeddings?: {
    buildRequest(request: EmbeddingRequest, cfg: ProviderConfig): UpstreamRequest;
    parseResponse(body: unknown, request: EmbeddingRequest): EmbeddingResponse;
  };

  /** `POST /v1/rerank` (Cohere's rerank body and answer); absent: the provider does not rerank. */
  rerank?: {
    /** Throws when this provider (a host without a rerank endpoint) cannot rerank. */
    buildRequest(request: RerankRequest, cfg: ProviderConfig): UpstreamRequest;
    parseResponse(body: unknown, request: RerankRequest): RerankResponse;
  };

  /**
   * The provider's own prompt-token counter (Anthropic `/v1/messages/count_tokens`, Gemini
   * `:countTokens`), for `POST /v1/messages/count_tokens`. Absent: the gateway estimates.
   */
  countTokens?: {
    endpoint(cfg: ProviderConfig, model: string): { url: string; headers: Record<string, string> };
    /** The count request from the internal form; absent = only the same-dialect pass-through counts upstream. */
    buildBody?(request: ChatRequest, cfg: ProviderConfig): string;
    /** The count from the upstream's JSON answer; throws on a shape it cannot read. */
    parseResponse(body: unknown): number;
  };

  /** Maps an upstream HTTP error to the gateway's error (the engine adds the provider name). */
  parseError(input: UpstreamErrorInput): GatewayErrorShape;

  /**
   * Pass-through observation (docs/architecture.md §2): read the usage of a non-streaming upstream body of
   * this dialect (already parsed), in the internal form.
   */
  usageFromBody(json: unknown): Usage | undefined;

  /**
   * Pass-through observation of a stream: given one SSE frame of this dialect and the usage
   * seen so far, return the updated usage when the frame carries any, else undefined. Called for
   * every frame of a passed-through stream, so it must be cheap (test the text before parsing).
   */
  sniffStreamUsage(frame: SseFrame, previous: Usage | undefined): Usage | undefined;
}
