/**
 * Vertex's column of the parameter table (../capabilities.ts), derived from the Gemini and
 * Anthropic columns of the same row: one Vertex provider serves both publishers, and the table is
 * per type, not per model, so a parameter is carried only when BOTH adapters carry it. One that
 * only one publisher understands is refused (with the other's reason) rather than silently
 * dropped for the other's models. A pass-through `passed` of the Anthropic column counts as
 * carried: on Vertex, Claude requests are translated by the Anthropic adapter, which maps it.
 * A carried parameter's `to` is the Gemini body's field (the Anthropic column names the Claude one).
 */
import type { BaseRow, ParameterRule } from '../capabilities.js';

export function vertexRule(row: BaseRow): ParameterRule {
  const gemini = row.gemini;
  const claude = row.anthropic;
  if (gemini.status === 'refused') return { ...gemini, why: `Gemini models: ${gemini.why}` };
  // A field Gemini would forward verbatim has no place in a Claude body, nor the reverse.
  if (gemini.status === 'passed') return { status: 'refused', why: 'Gemini-only on Vertex (it would reach Claude models too)' };
  if (claude.status === 'refused') return { ...claude, why: `Claude models: ${claude.why}` };
  // Where it lands in a Gemini body; a Claude body carries it where the Anthropic column says.
  return gemini;
}
