import { Type } from '@sinclair/typebox';
import { openAIOptions } from '../openai/options.js';

/** `providers.<name>` fields of an openai-compatible provider: a host preset, then the OpenAI adapter's own. */
export const openAICompatibleOptions = {
  preset: Type.Optional(Type.String()),
  /** Azure OpenAI: the deployment's data zone, whose prices the catalog bills (`azure/eu/…`). */
  data_zone: Type.Optional(Type.Union([Type.Literal('eu'), Type.Literal('us'), Type.Literal('global-standard')])),
  ...openAIOptions,
};
