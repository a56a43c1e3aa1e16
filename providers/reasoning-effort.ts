import type { ReasoningEffort } from './types.js';

/**
 * An explicit thinking budget (Anthropic `thinking.budget_tokens`, ≥ 1024) → a reasoning level,
 * for providers that take a level (OpenAI `reasoning_effort`, Mistral `reasoning_effort`). The
 * steps sit between the budgets the levels map to for Anthropic (providers/anthropic/request.ts
 * THINKING_BUDGET_BY_EFFORT: low 2048, medium 8192, high 24576), so a round trip keeps the level.
 * `minimal` is never produced: not every reasoning model accepts it.
 */
export function effortForBudget(budgetTokens: number): ReasoningEffort {
  if (budgetTokens < 4096) return 'low';
  if (budgetTokens < 16384) return 'medium';
  return 'high';
}
