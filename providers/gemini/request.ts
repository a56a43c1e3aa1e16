/**
 * Internal ChatRequest → Gemini `generateContent` body.
 * Field mapping: docs/wire-facts.md §3 "OpenAI → Gemini request mapping";
 * https://ai.google.dev/api/generate-content#request-body
 */
import type { ProviderConfig } from '../adapter.js';
import type {
  AssistantContentPart,
  ChatRequest,
  ImagePart,
  Message,
  ReasoningEffort,
  ToolChoice,
  ToolResultPart,
} from '../types.js';
import { fillMissingCallSignatures, readThoughtSignature, validatesThoughtSignatures } from './thought-signature.js';
import type { GeminiContent, GeminiGenerationConfig, GeminiPart, GeminiRequestBody } from './wire.js';
import { isRecord } from './wire.js';

/** A request the Gemini dialect cannot express; the engine should answer 400 with this message. */
export class GeminiRequestError extends Error {
  readonly status = 400;
  readonly type = 'invalid_request_error';
  constructor(message: string, readonly param: string | null = null) {
    super(message);
    this.name = 'GeminiRequestError';
  }
}

/**
 * reasoningEffort → thinkingBudget (tokens). Gemini takes a budget, not a level. The floor is
 * 512 because that is the smallest budget every 2.5 model accepts (Pro: 128–32768, Flash:
 * 0–24576, Flash-Lite: 512–24576); 24576 is the largest Flash accepts.
 * https://ai.google.dev/gemini-api/docs/thinking#set-budget
 */
export const GEMINI_THINKING_BUDGETS: Record<ReasoningEffort, number> = {
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
};

export function convertToGeminiRequest(req: ChatRequest, _cfg?: ProviderConfig): GeminiRequestBody {
  const system: Array<{ text: string }> = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>(); // tool-call id → function name

  for (const msg of req.messages) {
    if (msg.role === 'system') {
      for (const p of msg.content) if (p.text) system.push({ text: p.text });
      continue;
    }
    const [role, parts] = convertMessage(msg, toolNames);
    if (parts.length === 0) continue;
    // Gemini wants user/model turns; consecutive turns of one role (a tool result followed by a
    // user message, two user messages) are merged into one turn.
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  }

  if (validatesThoughtSignatures(req.model)) fillMissingCallSignatures(contents);

  const body: GeminiRequestBody = { contents };
  if (system.length > 0) body.systemInstruction = { parts: system };

  if (req.tools && req.tools.length > 0) {
    // `parametersJsonSchema` takes plain JSON Schema (what OpenAI/Anthropic clients send),
    // whereas `parameters` is an OpenAPI-3.0 subset that rejects e.g. `additionalProperties`,
    // `$ref` or `const` — passing client schemas there would fail or need lossy rewriting.
    body.tools = [
      {
        functionDeclarations: req.tools.map((t) => ({
          name: t.name,
          ...(t.description !== undefined ? { description: t.description } : {}),
          parametersJsonSchema: t.parameters,
        })),
      },
    ];
  }
  if (req.toolChoice) body.toolConfig = { functionCallingConfig: convertToolChoice(req.toolChoice) };

  const gen = convertGenerationConfig(req);
  if (Object.keys(gen).length > 0) body.generationConfig = gen;
  // Not expressible on Gemini: parallelToolCalls (no switch), user and metadata (no such field
  // on the Generative Language API) — the engine refuses those top-level fields by name first
  // (../capabilities.ts); cacheControl marks are left out (caching is implicit).
  return body;
}

function convertMessage(
  msg: Exclude<Message, { role: 'system' }>,
  toolNames: Map<string, string>,
): ['user' | 'model', GeminiPart[]] {
  switch (msg.role) {
    case 'user':
      return ['user', msg.content.map((p) => (p.type === 'text' ? { text: p.text } : convertImage(p)))];
    case 'assistant':
      return ['model', msg.content.flatMap((p) => convertAssistantPart(p, toolNames))];
    case 'tool':
      // Function results travel in a *user* turn (https://ai.google.dev/gemini-api/docs/function-calling).
      return ['user', msg.content.flatMap((p) => convertToolResult(p, toolNames))];
  }
}

function convertAssistantPart(p: AssistantContentPart, toolNames: Map<string, string>): GeminiPart[] {
  if (p.type === 'text') return p.text ? [{ text: p.text }] : [];
  if (p.type === 'reasoning') {
    // Thought text goes back marked as a thought but WITHOUT its signature: a ReasoningPart's
    // signature may be Anthropic's (a conversation can change provider), Gemini rejects a
    // foreign signature, and it only validates signatures on functionCall parts — those travel
    // in the tool call's providerMetadata. Redacted (Anthropic-only) reasoning is dropped.
    if (!p.text) return [];
    return [{ text: p.text, thought: true }];
  }
  toolNames.set(p.id, p.name);
  const part: GeminiPart = { functionCall: { name: p.name, args: parseArguments(p.arguments, p.name) } };
  const sig = readThoughtSignature(p.providerMetadata);
  if (sig) part.thoughtSignature = sig;
  return [part];
}

function parseArguments(json: string, name: string): Record<string, unknown> {
  if (json.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new GeminiRequestError(`tool call '${name}' has arguments that are not valid JSON`, 'messages');
  }
  if (!isRecord(parsed)) throw new GeminiRequestError(`tool call '${name}' arguments must be a JSON object`, 'messages');
  return parsed;
}

/**
 * Gemini's functionResponse needs the function NAME (not an id) and a JSON *object* as
 * `response`. A JSON-object result goes as is; anything else is wrapped as `{result: …}`;
 * an error result as `{error: …}` — the keys the API documents for output and error details
 * (https://ai.google.dev/api/caching#FunctionResponse). Images in a result have no place inside
 * functionResponse on every model, so they follow it as ordinary parts of the same user turn.
 */
function convertToolResult(p: ToolResultPart, toolNames: Map<string, string>): GeminiPart[] {
  const name = p.toolName ?? toolNames.get(p.toolCallId);
  if (!name) {
    throw new GeminiRequestError(
      `tool result for call '${p.toolCallId}' has no tool name and no earlier assistant tool call with that id; Gemini needs the function name`,
      'messages',
    );
  }
  const images: GeminiPart[] = [];
  let text: string;
  if (typeof p.content === 'string') text = p.content;
  else {
    const texts: string[] = [];
    for (const c of p.content) {
      if (c.type === 'text') texts.push(c.text);
      else images.push(convertImage(c));
    }
    text = texts.join('\n');
  }
  let response: Record<string, unknown>;
  if (p.isError) response = { error: text };
  else {
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: plain text result
    }
    response = isRecord(parsed) ? parsed : { result: text };
  }
  return [{ functionResponse: { name, response } }, ...images];
}

/**
 * base64 → inlineData. An http(s) URL → fileData: Gemini fetches only some URLs itself (files
 * uploaded through its Files API, YouTube, and public URLs on newer models); others fail
 * upstream with 400. The gateway does not download images (adapters do no I/O).
 */
function convertImage(p: ImagePart): GeminiPart {
  if (p.data) return { inlineData: { mimeType: p.mediaType ?? 'image/jpeg', data: p.data } };
  const url = p.url ?? '';
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(url); // tolerate a data: URL in `url`
  if (dataUrl) return { inlineData: { mimeType: dataUrl[1] ?? 'image/jpeg', data: dataUrl[2] ?? '' } };
  if (!url) throw new GeminiRequestError('image part has neither data nor url', 'messages');
  return { fileData: { mimeType: p.mediaType ?? mimeFromUrl(url), fileUri: url } };
}

const EXT_MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
};

/** fileData requires a mimeType; guess it from the extension (jpeg when unknown). */
function mimeFromUrl(url: string): string {
  const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(url)?.[1]?.toLowerCase();
  return (ext && EXT_MIME[ext]) || 'image/jpeg';
}

function convertToolChoice(c: ToolChoice): { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] } {
  switch (c.type) {
    case 'auto':
      return { mode: 'AUTO' };
    case 'required':
      return { mode: 'ANY' };
    case 'none':
      return { mode: 'NONE' };
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [c.name] };
  }
}

function convertGenerationConfig(req: ChatRequest): GeminiGenerationConfig {
  const g: GeminiGenerationConfig = {};
  // Gemini's temperature range is 0–2, the same as the internal form: passed unscaled.
  if (req.temperature !== undefined) g.temperature = req.temperature;
  if (req.topP !== undefined) g.topP = req.topP;
  if (req.topK !== undefined) g.topK = req.topK;
  if (req.maxTokens !== undefined) g.maxOutputTokens = req.maxTokens;
  if (req.stop && req.stop.length > 0) g.stopSequences = req.stop;
  // Every candidate comes back as a choice (ChatResponse.moreChoices, `choice` on stream events).
  if (req.n !== undefined) g.candidateCount = req.n;
  if (req.seed !== undefined) g.seed = req.seed;
  if (req.presencePenalty !== undefined) g.presencePenalty = req.presencePenalty;
  if (req.frequencyPenalty !== undefined) g.frequencyPenalty = req.frequencyPenalty;

  const rf = req.responseFormat;
  if (rf?.type === 'json_object') g.responseMimeType = 'application/json';
  else if (rf?.type === 'json_schema') {
    // responseJsonSchema takes plain JSON Schema; responseSchema is the OpenAPI subset (see tools).
    g.responseMimeType = 'application/json';
    g.responseJsonSchema = rf.schema;
  }

  const budget = req.reasoningBudgetTokens ?? (req.reasoningEffort ? GEMINI_THINKING_BUDGETS[req.reasoningEffort] : undefined);
  // includeThoughts: the client asked for reasoning, so return the thought summaries too.
  if (budget !== undefined) g.thinkingConfig = { thinkingBudget: budget, includeThoughts: true };
  return g;
}
