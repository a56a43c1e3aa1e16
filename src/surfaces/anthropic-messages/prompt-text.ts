import { IMAGE_TOKENS, MESSAGE_OVERHEAD_TOKENS, type PromptText } from '../../metering/tokens.js';

/**
 * Everything an Anthropic Messages body makes the model read, for counting (admission and
 * estimates): system, message text, tool_use (name + input), tool_result content, thinking
 * blocks, the tool definitions and an `output_config` format schema (billed as input), images
 * at IMAGE_TOKENS each; any other block as its JSON text.
 */
export function anthropicPromptText(b: Record<string, any>): PromptText {
  const parts: string[] = [];
  let fixedTokens = blocksText(b.system, parts);
  for (const m of Array.isArray(b.messages) ? b.messages : []) {
    fixedTokens += MESSAGE_OVERHEAD_TOKENS + blocksText(m?.content, parts);
  }
  if (b.tools != null) parts.push(JSON.stringify(b.tools));
  if (b.output_config?.format != null) parts.push(JSON.stringify(b.output_config.format));
  return { text: parts.join('\n'), fixedTokens };
}

/** Text of a content (string or blocks) into `parts`; returns the fixed tokens of its images. */
function blocksText(content: unknown, parts: string[]): number {
  if (typeof content === 'string') {
    parts.push(content);
    return 0;
  }
  if (!Array.isArray(content)) return 0;
  let fixed = 0;
  for (const block of content) {
    if (block == null) continue;
    switch (block.type) {
      case 'text':
        parts.push(String(block.text ?? ''));
        break;
      case 'image':
        fixed += IMAGE_TOKENS;
        break;
      case 'tool_use':
        parts.push(String(block.name ?? '') + JSON.stringify(block.input ?? null));
        break;
      case 'tool_result':
        fixed += blocksText(block.content, parts);
        break;
      case 'thinking':
        parts.push(String(block.thinking ?? ''));
        break;
      default:
        parts.push(JSON.stringify(block));
    }
  }
  return fixed;
}
