import { InvalidArgumentError, Option, type Command } from 'commander';
import { CliError } from './cli-error.js';
import { MAX_USD } from '../metering/money.js';
import { DEFAULT_URL, GatewayClient, parseGatewayUrl } from './http.js';

interface GlobalOptions {
  url?: string;
  adminKey?: string;
  timeout?: number;
}

/** The client for a command: `--url`/`TOLLGATE_URL` (default 127.0.0.1:8787), `--admin-key`/`TOLLGATE_ADMIN_KEY`. */
export function clientFor(cmd: Command): GatewayClient {
  const o = cmd.optsWithGlobals<GlobalOptions>();
  const url = parseGatewayUrl(o.url || process.env.TOLLGATE_URL || DEFAULT_URL);
  const adminKey = o.adminKey || process.env.TOLLGATE_ADMIN_KEY || undefined;
  return new GatewayClient({ url, ...(adminKey && { adminKey }), timeoutMs: (o.timeout ?? 30) * 1000 });
}

/** A non-negative integer argument (counts, rpm…), bounded so it is exact in JSON. */
export function intArg(v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError('must be a whole number ≥ 0.');
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('is too large.');
  return n;
}

/** A positive finite number (seconds, USD amounts), bounded. */
export function numberArg(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1e12) throw new InvalidArgumentError('must be a number ≥ 0.');
  return n;
}

/** A budget in USD: what the gateway accepts (whole nano-dollars below 2^53, i.e. at most MAX_USD). */
export function usdArg(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > MAX_USD) throw new InvalidArgumentError(`must be a USD amount from 0 to ${MAX_USD} (budgets are counted in whole nano-dollars).`);
  return n;
}

/** Seconds for polling / timeouts: at least 0.1 s, at most a day. */
export function secondsArg(v: string): number {
  const n = numberArg(v);
  if (n < 0.1 || n > 86_400) throw new InvalidArgumentError('must be between 0.1 and 86400 seconds.');
  return n;
}

const PERIODS = ['day', 'month', 'total'];

/** The limit flags shared by teams and keys; they build the API's `limits` object. */
export function addLimitOptions(cmd: Command): Command {
  return cmd
    .option('--budget-usd <amount>', 'spend cap in USD per --budget-period', usdArg)
    .addOption(new Option('--budget-period <period>', 'period of --budget-usd').choices(PERIODS).default('month'))
    .option('--tokens <amount>', 'input + output tokens per --tokens-period', intArg)
    .addOption(new Option('--tokens-period <period>', 'period of --tokens').choices(PERIODS).default('month'))
    .option('--rpm <n>', 'requests per minute', intArg)
    .option('--tpm <n>', 'tokens per minute', intArg)
    .option('--max-concurrency <n>', 'requests in flight at once', intArg)
    .option('--limits <json>', 'the whole limits object as JSON (see docs/admin-api.md), instead of the flags');
}

export interface LimitFlags {
  budgetUsd?: number;
  budgetPeriod: string;
  tokens?: number;
  tokensPeriod: string;
  rpm?: number;
  tpm?: number;
  maxConcurrency?: number;
  limits?: string;
}

/** The flags given → a partial limits object (undefined when none was given). `--limits` is taken whole. */
export function limitsFrom(o: LimitFlags): Record<string, unknown> | null | undefined {
  const out: Record<string, unknown> = {};
  if (o.budgetUsd !== undefined) out.budget_usd = { amount: o.budgetUsd, period: o.budgetPeriod };
  if (o.tokens !== undefined) out.tokens = { amount: o.tokens, period: o.tokensPeriod };
  if (o.rpm !== undefined) out.rpm = o.rpm;
  if (o.tpm !== undefined) out.tpm = o.tpm;
  if (o.maxConcurrency !== undefined) out.max_concurrency = o.maxConcurrency;
  if (o.limits !== undefined) {
    if (Object.keys(out).length) throw new CliError('--limits replaces the limit flags (--rpm, --budget-usd, …): give one or the other');
    let parsed: unknown;
    try {
      parsed = JSON.parse(o.limits);
    } catch {
      throw new CliError('--limits must be a JSON object, e.g. \'{"rpm": 60, "budget_usd": {"amount": 25, "period": "month"}}\'');
    }
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) throw new CliError('--limits must be a JSON object (or null)');
    return parsed as Record<string, unknown> | null;
  }
  return Object.keys(out).length ? out : undefined;
}

/** How a limits object reads in a table: `budget $25/month, rpm 600`. */
export function describeLimits(l: unknown): string {
  if (!l || typeof l !== 'object') return '-';
  const x = l as { budget_usd?: { amount: number; period: string }; tokens?: { amount: number; period: string }; rpm?: number; tpm?: number; max_concurrency?: number };
  const parts: string[] = [];
  if (x.budget_usd) parts.push(`budget $${x.budget_usd.amount}/${x.budget_usd.period}`);
  if (x.tokens) parts.push(`tokens ${x.tokens.amount}/${x.tokens.period}`);
  if (x.rpm !== undefined) parts.push(`rpm ${x.rpm}`);
  if (x.tpm !== undefined) parts.push(`tpm ${x.tpm}`);
  if (x.max_concurrency !== undefined) parts.push(`concurrency ${x.max_concurrency}`);
  return parts.join(', ') || '-';
}
