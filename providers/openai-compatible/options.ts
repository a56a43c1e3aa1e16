import { Type } from '@sinclair/typebox';
import { openAIOptions } from '../openai/options.js';

/** `providers.<name>` fields of an openai-compatible provider: a host preset, then the OpenAI adapter's own. */
export const openAICompatibleOptions = {
  preset: Type.Optional(Type.String()),
  ...openAIOptions,
};
