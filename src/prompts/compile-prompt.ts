import { GatewayError, invalidRequest } from '../engine/errors.js';
import { compileSchema, fieldOf, reasonOf } from './json-schema.js';
import { PromptSourceError } from './parse-prompt.js';
import { promptSurface } from '../surfaces/prompts/surface.js';
import { compileTemplate } from './template.js';
import type { CompiledPrompt, PromptChatBody, PromptDefinition } from './types.js';

/**
 * Everything a prompt version needs at request time, built once when it is loaded: its
 * templates, its input and output validators, its surface. A template that reads a variable
 * its input schema does not declare is refused here, at load, rather than at the first call.
 */
export function compilePrompt(def: PromptDefinition): CompiledPrompt {
  let user, system;
  try {
    user = compileTemplate(def.template);
    system = def.system !== undefined ? compileTemplate(def.system) : undefined;
  } catch (err) {
    throw new PromptSourceError(`template: ${(err as Error).message}`);
  }
  const declared = new Set(Object.keys((def.input.properties as object | undefined) ?? {}));
  for (const v of [...user.variables, ...(system?.variables ?? [])]) {
    if (!declared.has(v)) throw new PromptSourceError(`template uses the variable '${v}', which 'input.properties' does not declare`);
  }

  const checkVars = compileOrExplain(def.input, `'input'`);
  const checkOut = def.output === 'text' ? undefined : compileOrExplain(def.output, `'output'`);
  const label = `prompt '${def.name}' version ${def.version}`;

  const parseOutput = (text: string): unknown => {
    if (!checkOut) return text;
    let value: unknown;
    try {
      value = JSON.parse(unfence(text));
    } catch (err) {
      throw outputInvalid(`${label}: the model's answer is not JSON (${(err as Error).message})`);
    }
    if (!checkOut(value)) {
      const e = checkOut.errors![0]!;
      throw outputInvalid(`${label}: the model's answer does not match the output schema: '${fieldOf(e) || '(root)'}' ${reasonOf(e)}`);
    }
    return value;
  };

  const responseFormat =
    def.output === 'text'
      ? undefined
      : { type: 'json_schema', json_schema: { name: schemaName(def.name), schema: def.output, ...(def.outputStrict && { strict: true }) } };

  return {
    def,
    checkInput(vars) {
      if (!checkVars(vars)) {
        const e = checkVars.errors![0]!;
        const field = fieldOf(e);
        if (e.keyword === 'required') throw invalidRequest(`Missing required variable: '${field}'.`, field, 'missing_required_parameter');
        throw invalidRequest(`Invalid value for '${field || '(body)'}': ${reasonOf(e)}.`, field || null, 'invalid_value');
      }
    },
    async render(vars, stream) {
      const messages: PromptChatBody['messages'] = [];
      if (system) messages.push({ role: 'system', content: await system.render(vars) });
      messages.push({ role: 'user', content: await user.render(vars) });
      return {
        ...def.params,
        model: def.model,
        messages,
        ...(responseFormat && { response_format: responseFormat }),
        ...(stream && { stream: true }),
      };
    },
    parseOutput,
    surface: promptSurface(def, parseOutput),
  };
}

function compileOrExplain(schema: Record<string, unknown>, what: string) {
  try {
    return compileSchema(schema, what);
  } catch (err) {
    throw new PromptSourceError((err as Error).message);
  }
}

/** Some models wrap JSON-mode answers in a Markdown code fence; the JSON inside is the answer. */
function unfence(text: string): string {
  const m = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return m ? m[1]! : text;
}

/** OpenAI's `json_schema.name`: `^[a-zA-Z0-9_-]{1,64}$` — a prompt name already is. */
const schemaName = (name: string) => name.slice(0, 64);

const outputInvalid = (message: string) => new GatewayError({ status: 502, type: 'api_error', code: 'output_invalid', message });
