import type { SseFrame } from '../../providers/adapter.js';
import type { ChatRequest, ChatResponse, GatewayErrorShape, StreamEvent, Usage } from '../../providers/types.js';
import type { ParameterCheck } from '../../providers/capabilities.js';
import type { PromptText } from '../metering/tokens.js';

/** Renders internal stream events as the client's wire frames. */
export interface StreamWriter {
  step(ev: StreamEvent): string[];
  end(usage: Usage, costUsd: number): string[];
  /**
   * Frames that end a stream which failed after it began, when the surface's failure event
   * depends on the stream so far (Responses: `response.failed` with the next sequence number).
   * Absent: the engine writes the stateless `errorFrame`.
   */
  fail?(e: GatewayErrorShape): string[];
}

/**
 * An inbound API surface (OpenAI chat, Anthropic messages): how its bodies become the internal
 * form and back, and — when the upstream accepts its wire format — how to pass bytes through
 * with only the edits the gateway must make (docs/architecture.md §2).
 */
export interface ChatSurface {
  /** The surface's family (it names the surface in response-cache keys and request logs). */
  dialect: string;
  /**
   * The client wire format (e.g. `openai-chat`, `anthropic-messages`). A provider whose adapter
   * accepts it untouched (`ProviderAdapter.passThrough`) takes the pass-through path; absent
   * (prompts as REST APIs) = always translated, and `render` gets the internal ChatResponse.
   */
  wire?: string;
  /** The upstream operation (the legacy completions surface passes through to `/completions`). */
  operation: 'chat' | 'completions' | 'responses';
  /** Validates the parsed body (throws a 400 GatewayError naming the field). */
  validate(body: unknown): void;
  toInternal(body: Record<string, any>): ChatRequest;
  /**
   * On the translation path: every top-level field mapped, passed on verbatim, or refused by name
   * for this provider type (providers/capabilities.ts). Absent = the body is the gateway's own.
   */
  checkParameters?(providerType: string, body: Record<string, any>): ParameterCheck;
  isStream(body: Record<string, any>): boolean;
  /** Whether the client asked for usage in the stream (Anthropic: always). */
  wantsStreamUsage(body: Record<string, any>): boolean;
  /**
   * Everything the request makes the model read (text, tools, schemas; images as fixed tokens),
   * counted by the engine: an upper bound for the budget reservation, an o200k count for estimates.
   */
  promptText(body: Record<string, any>): PromptText;
  /** How many completions the request asks for (OpenAI `n`; 1 when absent). */
  choices?(body: Record<string, any>): number;
  /** Max output tokens the client allows (for budget reservation), if it said. */
  maxOutputTokens(body: Record<string, any>): number | undefined;
  /** The end user the client names (OpenAI `user`/`safety_identifier`, Anthropic `metadata.user_id`): kept as the usage record's `user` tag. */
  endUser?(body: Record<string, any>): string | undefined;
  /** The service tier the request asks for (OpenAI `service_tier`), if any. */
  serviceTier?(body: Record<string, any>): string | undefined;
  /** The body field `maxOutputTokens` read (named in a 400); `max_tokens` when absent. */
  maxOutputParam?(body: Record<string, any>): string;
  /** `body` is the client's request (a Responses object echoes its settings). */
  render(res: ChatResponse, usage: Usage, costUsd: number, requestedModel: string, body: Record<string, any>): unknown;
  streamWriter(requestedModel: string, includeUsage: boolean, body: Record<string, any>): StreamWriter;
  /** A response-cache hit's body as served again (Responses: with a new id); absent = as stored. */
  cacheHit?(body: string): string;
  errorBody(e: GatewayErrorShape): unknown;
  /** `lastSent`: what the client last got of a pass-through stream (Responses numbers its events on from there). */
  errorFrame(e: GatewayErrorShape, lastSent?: Uint8Array | string): string;

  passthrough: {
    /**
     * Client request headers forwarded upstream on the pass-through path because they change
     * what the upstream accepts (Anthropic's `anthropic-beta`). Never auth headers.
     */
    forwardHeaders?: readonly string[];
    /** The upstream body: the client's bytes with the model replaced (and usage requested). */
    requestBody(raw: string, body: Record<string, any>, upstreamModel: string, upstream?: { streamUsage?: boolean }): string;
    /**
     * The client's body: the upstream's bytes with `usage.cost` added — or, when the upstream
     * gave no usage (`fromUpstream` false), with the gateway's estimated usage set.
     */
    responseBody(text: string, usage: Usage, costUsd: number, fromUpstream: boolean): string;
    /**
     * The upstream's parsed non-stream body has this dialect's answer shape (an OpenAI
     * completion's `choices`, an Anthropic `message`); otherwise it is a malformed answer (502),
     * never spliced and forwarded as if it were one.
     */
    isResponse(json: unknown): boolean;
    /**
     * One upstream frame → what the client gets (null = drop it). `usage` is set when this frame
     * carried usage (already priced as `costUsd`).
     */
    frame(frame: SseFrame, usage: Usage | undefined, costUsd: number, clientWantsUsage: boolean): string | null;
    /**
     * Optional fast-path test (engine/sse.ts `ssePassthroughRuns`): true when a `data: ` frame
     * with these data bytes needs no look at all — not the end frame, no usage, forwarded as it
     * came (`frame()` would return it unchanged). False is always safe: the frame is then parsed.
     */
    plainFrame?(data: Uint8Array): boolean;
    /**
     * True for the upstream's own error frame (OpenAI `{"error":…}` data, Anthropic
     * `event: error`): it ends the stream and is forwarded scrubbed of secrets, never as raw bytes
     * (`plainFrame` must not accept it).
     */
    isError(frame: SseFrame): boolean;
    /** True for the frame that ends a complete stream (`[DONE]`, `message_stop`). */
    isEnd(frame: SseFrame): boolean;
    /** Frames to add at the end when usage had to be estimated (the upstream sent none). */
    estimatedUsageFrames(usage: Usage, costUsd: number, clientWantsUsage: boolean): string[];
    /** The text a frame delivered to the client (for estimating a cut stream's tokens). */
    deliveredText(frame: SseFrame): string;
  };
}
