import type { Operation, ProviderAdapter } from '../../../providers/adapter.js';
import { invalidRequest } from '../../engine/errors.js';
import { IMAGE_TOKENS, tokenUpperBound } from '../../metering/tokens.js';

/** Completions one request may ask for (OpenAI `n`, Gemini `candidateCount`). */
const MAX_CHOICES = 128;

export interface OutputAsk {
  /** The output cap the body sets (absent: the model's whole output is reserved). */
  max?: number;
  /** The body field it came from, named in a 400. */
  param: string;
  choices: number;
}

/**
 * What a native body asks the model to produce, read where each dialect puts it, for the budget
 * reservation: the output cap (the larger when both OpenAI fields are sent) and the number of
 * completions. Checked like the `/v1` surfaces: a cap that is not a whole number, or a count out
 * of range, is a 400 naming the field (the cap against the model's maximum: engine/output-cap.ts).
 */
export function outputAsk(dialect: ProviderAdapter['dialect'], op: Operation, body: Record<string, any>): OutputAsk {
  if (op === 'embeddings') return { max: 0, param: 'input', choices: 1 };
  const pick = (fields: [string, unknown][]): { max?: number; param: string } => {
    let out: { max?: number; param: string } = { param: fields[0]![0] };
    for (const [param, v] of fields) {
      if (v === undefined || v === null) continue;
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw invalidRequest(`Invalid value for '${param}': must be a whole number of tokens.`, param, 'invalid_value');
      if (out.max === undefined || v > out.max) out = { max: v, param };
    }
    return out;
  };
  const count = (param: string, v: unknown): number => {
    if (v === undefined || v === null) return 1;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > MAX_CHOICES) throw invalidRequest(`Invalid value for '${param}': must be a whole number from 1 to ${MAX_CHOICES}.`, param, 'invalid_value');
    return v;
  };
  switch (dialect) {
    case 'openai':
      if (op === 'responses') return { ...pick([['max_output_tokens', body.max_output_tokens]]), choices: 1 };
      if (op === 'completions') return { ...pick([['max_tokens', body.max_tokens]]), choices: count('n', body.n) * count('best_of', body.best_of) * (Array.isArray(body.prompt) ? Math.max(1, body.prompt.length) : 1) };
      return { ...pick([['max_completion_tokens', body.max_completion_tokens], ['max_tokens', body.max_tokens]]), choices: count('n', body.n) };
    case 'mistral':
      return { ...pick([['max_tokens', body.max_tokens]]), choices: count('n', body.n) };
    case 'anthropic':
      return { ...pick([['max_tokens', body.max_tokens]]), choices: 1 };
    case 'gemini': {
      const g = body.generationConfig ?? body.generation_config;
      return { ...pick([['generationConfig.maxOutputTokens', g?.maxOutputTokens ?? g?.max_output_tokens]]), choices: count('generationConfig.candidateCount', g?.candidateCount ?? g?.candidate_count) };
    }
    case 'bedrock':
      return { ...pick([['inferenceConfig.maxTokens', body.inferenceConfig?.maxTokens]]), choices: 1 };
    case 'vertex':
    case 'cohere':
      // No Vertex or Cohere path is allowed (paths.ts), so this is never reached.
      throw invalidRequest(`Native pass-through is not available for ${dialect} providers.`, 'model', 'unsupported_value');
  }
}

/**
 * Image parts of any dialect: OpenAI `"image_url":`, Anthropic `"type":"image"`, Gemini
 * `inlineData`/`fileData`, Bedrock `"image":{`. A part matched twice (a Responses `input_image`
 * with its `image_url`) only reserves more.
 */
const IMAGE_MARKERS = /"image_url"\s*:|"type"\s*:\s*"(?:image|input_image)"|"inline_?[dD]ata"\s*:|"file_?[dD]ata"\s*:|"image"\s*:\s*\{/g;

/**
 * An upper bound of the prompt's tokens without knowing the dialect's shape: every character of
 * the body counted as text (field names and JSON punctuation included), plus what a provider may
 * bill per image on top of an image's own bytes.
 */
export function nativePromptBound(raw: string): number {
  let images = 0;
  for (const _ of raw.matchAll(IMAGE_MARKERS)) images++;
  return tokenUpperBound(raw) + images * IMAGE_TOKENS;
}
