import { describe, expect, it } from 'vitest';
import { IMAGE_TOKENS, tokenUpperBound } from '../../metering/tokens.js';
import { nativePromptBound, outputAsk } from './limits.js';
import { matchNativePath } from './paths.js';

describe('outputAsk: the cap and completions each dialect asks for', () => {
  it('reads the cap where each dialect puts it', () => {
    expect(outputAsk('openai', 'chat', { max_tokens: 10, max_completion_tokens: 30, n: 2 })).toEqual({ max: 30, param: 'max_completion_tokens', choices: 2 });
    expect(outputAsk('openai', 'responses', { max_output_tokens: 7 })).toEqual({ max: 7, param: 'max_output_tokens', choices: 1 });
    expect(outputAsk('openai', 'completions', { max_tokens: 5, n: 2, best_of: 3, prompt: ['a', 'b'] })).toEqual({ max: 5, param: 'max_tokens', choices: 12 });
    expect(outputAsk('anthropic', 'chat', { max_tokens: 100 })).toEqual({ max: 100, param: 'max_tokens', choices: 1 });
    expect(outputAsk('gemini', 'chat', { generationConfig: { maxOutputTokens: 64, candidateCount: 3 } })).toEqual({ max: 64, param: 'generationConfig.maxOutputTokens', choices: 3 });
    expect(outputAsk('bedrock', 'chat', { inferenceConfig: { maxTokens: 9 } })).toEqual({ max: 9, param: 'inferenceConfig.maxTokens', choices: 1 });
    expect(outputAsk('mistral', 'chat', {})).toEqual({ param: 'max_tokens', choices: 1 });
    expect(outputAsk('openai', 'embeddings', { max_tokens: 99 })).toEqual({ max: 0, param: 'input', choices: 1 });
  });

  it('refuses a cap or a count that is not a bounded whole number, naming the field', () => {
    expect(() => outputAsk('anthropic', 'chat', { max_tokens: Infinity })).toThrow(/max_tokens/);
    expect(() => outputAsk('openai', 'chat', { max_tokens: 1.5 })).toThrow(/max_tokens/);
    expect(() => outputAsk('bedrock', 'chat', { inferenceConfig: { maxTokens: '10' } })).toThrow(/inferenceConfig\.maxTokens/);
    expect(() => outputAsk('openai', 'chat', { n: 0 })).toThrow(/'n'/);
    expect(() => outputAsk('gemini', 'chat', { generationConfig: { candidateCount: 1e9 } })).toThrow(/candidateCount/);
  });
});

describe('nativePromptBound', () => {
  it('is the body text’s bound plus a per-image allowance in any dialect', () => {
    const text = '{"messages":[{"role":"user","content":"hello there"}]}';
    expect(nativePromptBound(text)).toBe(tokenUpperBound(text));
    const images = '{"a":{"type":"image_url","image_url":{"url":"https://x/y.png"}},"b":{"inlineData":{"data":"AA=="}},"c":{"image":{"format":"png"}}}';
    expect(nativePromptBound(images)).toBe(tokenUpperBound(images) + 3 * IMAGE_TOKENS);
  });
});

describe('matchNativePath', () => {
  it('allows only the listed paths, model decoded from the path', () => {
    expect(matchNativePath('bedrock', 'model/anthropic.claude-v2%3A1/converse-stream')).toEqual({ op: 'chat', model: 'anthropic.claude-v2:1', stream: true });
    expect(matchNativePath('gemini', 'v1beta/models/gemini-2.5-flash:generateContent')).toEqual({ op: 'chat', model: 'gemini-2.5-flash', stream: false });
    expect(matchNativePath('openai', 'embeddings')).toEqual({ op: 'embeddings' });
    for (const [d, p] of [['openai', 'files'], ['openai', 'chat/completions/x'], ['anthropic', 'v1/messages/count_tokens'], ['gemini', 'v1beta/models/a/b:generateContent'], ['bedrock', 'model/x/invoke'], ['bedrock', 'model/%E0%A4%A/converse']] as const) {
      expect(matchNativePath(d, p), `${d} ${p}`).toBeUndefined();
    }
  });
});
