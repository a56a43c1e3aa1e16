import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate, type Principal } from '../../engine/auth.js';
import { forbidden, GatewayError, invalidRequest, notFound } from '../../engine/errors.js';
import type { PromptLibrary } from '../../prompts/library.js';
import { sourceFromFields, PromptSourceError } from '../../prompts/parse-prompt.js';
import type { CompiledPrompt, PromptDefinition } from '../../prompts/types.js';
import type { Gateway } from '../gateway.js';
import { hijackAndRun } from './chat.js';
import { requireAdmin } from './admin.js';

export interface PromptRoutesOptions {
  library: PromptLibrary;
}

/**
 * Prompts as REST APIs (docs/contract.md §5): `POST /v1/prompts/{name}` (latest version),
 * `POST /v1/prompts/{name}/versions/{version}`, `GET /v1/prompts`, and publishing through
 * `POST /admin/prompts`.
 */
export const promptRoutes: FastifyPluginAsync<PromptRoutesOptions> = async (app, { library }) => {
  app.get('/v1/prompts', async (req) => {
    const principal = await authenticate(req.headers, app.gateway.snapshot, app.gateway.keys);
    const registry = library.current;
    const data = registry
      .list()
      .filter((p) => teamAllowed(principal, p.teams))
      .map(({ teams: _teams, ...p }) => ({ object: 'prompt', ...p }));
    return { object: 'list', data, errors: registry.errors };
  });

  app.post<{ Params: { name: string } }>('/v1/prompts/:name', (req, reply) => callPrompt(app.gateway, library, req, reply, req.params.name));
  app.post<{ Params: { name: string; version: string } }>('/v1/prompts/:name/versions/:version', (req, reply) =>
    callPrompt(app.gateway, library, req, reply, req.params.name, req.params.version),
  );

  app.post('/admin/prompts', async (req, reply) => {
    await requireAdmin(app.gateway, req);
    const { prompt, created } = await library.publish(publishedSource(req.body));
    const d = prompt.def;
    return reply.code(created ? 201 : 200).send({ object: 'prompt', name: d.name, version: d.version, description: d.description, model: d.model, created });
  });
};

/**
 * One prompt call: authenticate → find the version → teams and model access → validate the
 * variables against the input schema (400 naming the field) → render the chat body from the
 * template → the engine, as an LLM call of kind `prompt` (admission, routing, dispatch,
 * metering with the prompt's name and version).
 */
async function callPrompt(gw: Gateway, library: PromptLibrary, req: FastifyRequest, reply: FastifyReply, name: string, version?: string): Promise<void> {
  const snapshot = gw.snapshot;
  const principal = await authenticate(req.headers, snapshot, gw.keys);
  const prompt = library.current.get(name, version);
  if (!prompt) throw promptNotFound(library, name, version);
  const def = prompt.def;
  if (!teamAllowed(principal, def.teams)) throw forbidden(`This key's team may not call the prompt '${name}'.`);
  // the key's allowed_models apply to the model the prompt resolves to (checked by the engine)

  const body = req.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object of the prompt variables.');
  const { stream, ...vars } = body as Record<string, unknown>;
  if (stream !== undefined && typeof stream !== 'boolean') throw invalidRequest(`Invalid value for 'stream': must be boolean.`, 'stream', 'invalid_value');
  const wantsStream = stream === true || (stream === undefined && acceptsEventStream(req));
  prompt.checkInput(vars);
  const chatBody = await prompt.render(vars, wantsStream);

  await hijackAndRun(gw, req, reply, {
    principal,
    snapshot,
    surface: prompt.surface,
    body: chatBody,
    raw: JSON.stringify(chatBody),
    kind: 'prompt',
    prompt: { name: def.name, version: def.version },
  });
}

/**
 * `teams` in the front matter lists team ids; no list means every caller. The admin key may
 * call everything; a key without a team (a static config key, an open gateway) may call only
 * unrestricted prompts.
 */
export function teamAllowed(principal: Principal, teams: PromptDefinition['teams']): boolean {
  if (!teams) return true;
  if (principal.kind === 'admin') return true;
  return principal.teamId !== null && teams.includes(principal.teamId);
}

function acceptsEventStream(req: FastifyRequest): boolean {
  const accept = req.headers.accept;
  return typeof accept === 'string' && accept.includes('text/event-stream');
}

function promptNotFound(library: PromptLibrary, name: string, version?: string): GatewayError {
  const latest: CompiledPrompt | undefined = version !== undefined ? library.current.get(name) : undefined;
  const e = notFound(
    latest ? `Prompt '${name}' has no version '${version}'.` : `Unknown prompt '${name}'. GET /v1/prompts lists the prompts this gateway serves.`,
  );
  return new GatewayError({ ...e.shape, code: 'prompt_not_found', param: latest ? 'version' : 'name' });
}

/** `POST /admin/prompts` takes the file form as `{"source": "---\n…"}`, or its fields as JSON with `template`. */
function publishedSource(body: unknown): string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object: {"source": "<prompt file text>"} or the front matter fields with "template".');
  const b = body as Record<string, unknown>;
  if (typeof b.source === 'string') return b.source;
  try {
    return sourceFromFields(b);
  } catch (err) {
    if (err instanceof PromptSourceError) throw invalidRequest(err.message, 'template', 'missing_required_parameter');
    throw err;
  }
}
