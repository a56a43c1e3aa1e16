import { openAIErrorBody } from '../engine/errors.js';
import { anthropicMessages } from './anthropic-messages/routes.js';
import { openAIChat } from './openai-chat/routes.js';
import { openAICompletions } from './openai-completions/routes.js';
import { openAIEmbeddings } from './openai-embeddings/routes.js';
import { openAIImages } from './openai-images/routes.js';
import { nativeProviders } from './native/routes.js';
import { openAIResponses } from './openai-responses/routes.js';
import { prompts } from './prompts/routes.js';
import { rerankSurface } from './rerank/routes.js';
import type { Surface } from './types.js';

export type { Surface, SurfaceApp, SurfaceHandler, SurfaceRoute } from './types.js';

/** Every client-facing API the gateway serves; src/server/app.ts registers their routes from this list. */
export const SURFACES: readonly Surface[] = [openAIChat, openAICompletions, openAIEmbeddings, openAIImages, openAIResponses, anthropicMessages, prompts, nativeProviders, rerankSurface];

const byPrefix = [...SURFACES].sort((a, b) => b.prefix.length - a.prefix.length);

/** The error envelope for a request URL: the surface whose prefix it starts with (longest first), else OpenAI's. */
export function errorBodyFor(url: string): Surface['errorBody'] {
  return byPrefix.find((s) => url.startsWith(s.prefix))?.errorBody ?? openAIErrorBody;
}
