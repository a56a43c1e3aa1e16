import type { ChatSurface } from '../engine/surface.js';

export type JsonSchema = Record<string, unknown>;

/** Where a prompt version came from: a file in `prompts/`, or one published through `POST /admin/prompts`. */
export type PromptOrigin = { kind: 'file'; path: string } | { kind: 'store' };

/**
 * One prompt version as its author wrote it, validated (docs/contract.md §5). Immutable: a new version is a
 * new definition.
 */
export interface PromptDefinition {
  name: string;
  version: string;
  description: string;
  /** Model name as `/v1/chat/completions` takes it (`provider/model` or an alias). */
  model: string;
  /** OpenAI chat params sent with every call (`temperature`, `max_tokens`, …), snake_case. */
  params: Readonly<Record<string, unknown>>;
  /** System message template (optional). */
  system?: string;
  /** User message template (the file's body). */
  template: string;
  /** JSON Schema of the variables (always `type: object`). */
  input: JsonSchema;
  /** `text`, or the JSON Schema the answer must match (structured output). */
  output: 'text' | JsonSchema;
  /** Send the output schema with OpenAI's `strict: true` (the schema must then follow OpenAI's strict-mode rules). */
  outputStrict: boolean;
  /** Teams allowed to call it; undefined = every team. */
  teams?: readonly string[];
  /** The source text (front matter + body): what the store keeps, and what a re-publish compares. */
  source: string;
  origin: PromptOrigin;
}

/** The rendered request: an OpenAI-format chat body, ready for the engine. */
export type PromptChatBody = Record<string, unknown> & { model: string; messages: Array<{ role: 'system' | 'user'; content: string }> };

/** A definition with everything precompiled (templates, validators, surface), built once per version. */
export interface CompiledPrompt {
  def: PromptDefinition;
  /** Throws a 400 GatewayError naming the failing field; fills schema defaults in place. */
  checkInput(vars: Record<string, unknown>): void;
  /** Variables (already checked against the input schema) → the chat body; a render limit hit is a 400 GatewayError. */
  render(vars: Record<string, unknown>, stream: boolean): Promise<PromptChatBody>;
  /** The model's text → `output` (parsed JSON when an output schema is set); throws a 502 GatewayError when it does not conform. */
  parseOutput(text: string): unknown;
  /** How the engine's answer is shaped for the client: `{output, model, usage, prompt}`. */
  surface: ChatSurface;
}

/** A file (or stored version) that could not be loaded; the last good version, if any, keeps serving. */
export interface PromptLoadError {
  /** File path (relative to the prompts dir) or `store:<name>@<version>`. */
  source: string;
  message: string;
}

/** What `GET /v1/prompts` shows of a prompt. */
export interface PromptListing {
  name: string;
  description: string;
  model: string;
  /** The version `POST /v1/prompts/{name}` calls. */
  latest: string;
  versions: string[];
  input: JsonSchema;
  output: 'text' | JsonSchema;
  teams?: readonly string[];
}
