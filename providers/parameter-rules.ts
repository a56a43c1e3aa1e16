/**
 * The rule makers and the refusal reasons the side columns of the parameter table
 * (`<adapter>/capabilities.ts`, joined into ./capabilities.ts) share. A module of its own so
 * those columns need not import ./capabilities.ts, which imports them.
 */
import type { ParameterRule } from './capabilities.js';

export const mapped = (to: string): ParameterRule => ({ status: 'mapped', to });
export const refused = (why: string, unless?: unknown): ParameterRule => ({ status: 'refused', why, ...(unless !== undefined && { unless }) });

/** The end-user id for a provider with no such field: kept in the usage record's `user` tag, not sent. */
export const LEDGER_USER = mapped('ledger tags.user');
export const MISTRAL_ONLY = refused('Mistral-only');
export const GEMINI_ONLY = refused('Gemini-only');
export const ANTHROPIC_ONLY = refused('Anthropic-only');
