import type { GroupBy, UsageFilter } from './usage-port.js';

/**
 * When a usage query can read the daily roll-up (table usage_daily, kept by a trigger on each
 * ledger insert) instead of the raw rows, with the same answer: every grouping is one of the
 * roll-up's columns or a coarser time, and the time range starts and ends on UTC midnights.
 * Anything else (prompt, route, a range cut inside a day) reads the raw rows.
 */
export const DAY_MS = 86_400_000;

const DAILY_GROUPS: ReadonlySet<GroupBy> = new Set(['team', 'key', 'model', 'provider', 'day', 'week', 'month']);

const onMidnight = (t: number | undefined) => t === undefined || t % DAY_MS === 0;

export function dailyAnswers(filter: UsageFilter, groupBy?: GroupBy, splitBy?: GroupBy): boolean {
  return (groupBy === undefined || DAILY_GROUPS.has(groupBy)) && (splitBy === undefined || DAILY_GROUPS.has(splitBy)) && onMidnight(filter.from) && onMidnight(filter.to);
}
