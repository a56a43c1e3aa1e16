/**
 * Anthropic `tools` / `tool_choice` → internal tool definitions and choice (docs/wire-facts.md §2 table).
 * Only client tools (`{name, description?, input_schema}`, optional `type: "custom"`) can be
 * run by any provider; Anthropic's server tools (web_search, code_execution, bash, text_editor…)
 * exist only on Anthropic's side, so they are refused with a 400 rather than dropped silently.
 */
import type { ToolChoice, ToolDefinition } from '../../../providers/types.js';
import { InvalidRequest } from './errors.js';
import { optionalBoolean, optionalCacheControl, requireNonEmptyString, requireRecord } from './validate.js';

export function convertAnthropicTools(tools: unknown): ToolDefinition[] {
  if (!Array.isArray(tools)) throw new InvalidRequest('tools', 'must be an array');
  return tools.map((raw: unknown, i) => {
    const p = `tools.${i}`;
    const tool = requireRecord(raw, p);
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      throw new InvalidRequest(
        `${p}.type`,
        `server tool ${JSON.stringify(tool.type)} is not supported by this gateway; only client tools (name, input_schema) are`,
      );
    }
    const name = requireNonEmptyString(tool.name, `${p}.name`);
    const schema = requireRecord(tool.input_schema, `${p}.input_schema`);
    if (schema.type !== 'object') throw new InvalidRequest(`${p}.input_schema.type`, 'must be "object"');
    const def: ToolDefinition = { name, parameters: schema };
    if (tool.description !== undefined && tool.description !== null) {
      if (typeof tool.description !== 'string') throw new InvalidRequest(`${p}.description`, 'must be a string');
      def.description = tool.description;
    }
    const strict = optionalBoolean(tool.strict, `${p}.strict`);
    if (strict !== undefined) def.strict = strict;
    const cacheControl = optionalCacheControl(tool.cache_control, `${p}.cache_control`);
    if (cacheControl) def.cacheControl = cacheControl;
    return def;
  });
}

/**
 * `{type: auto|any|none|tool, name?, disable_parallel_tool_use?}`. `any` is OpenAI's `required`;
 * `disable_parallel_tool_use: true` is OpenAI's `parallel_tool_calls: false`.
 */
export function convertAnthropicToolChoice(
  choice: unknown,
  tools: ToolDefinition[] | undefined,
): { toolChoice: ToolChoice; parallelToolCalls?: boolean } {
  const c = requireRecord(choice, 'tool_choice');
  let toolChoice: ToolChoice;
  switch (c.type) {
    case 'auto':
      toolChoice = { type: 'auto' };
      break;
    case 'any':
      toolChoice = { type: 'required' };
      break;
    case 'none':
      toolChoice = { type: 'none' };
      break;
    case 'tool': {
      const name = requireNonEmptyString(c.name, 'tool_choice.name');
      if (!tools?.some((t) => t.name === name)) {
        throw new InvalidRequest('tool_choice.name', `names no tool in "tools": ${JSON.stringify(name)}`);
      }
      toolChoice = { type: 'tool', name };
      break;
    }
    default:
      throw new InvalidRequest('tool_choice.type', 'must be one of "auto", "any", "none", "tool"');
  }
  const disableParallel = optionalBoolean(c.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use');
  return disableParallel === true ? { toolChoice, parallelToolCalls: false } : { toolChoice };
}
