import { describe, expect, it } from 'vitest';
import { alertText, budgetAlert, renderBody, spikeAlert } from './payload.js';
import { budgetAlertId, periodBounds, reachedThresholds, spikeAlertId, spikeWindow } from './thresholds.js';

describe('budget alert thresholds and payloads', () => {
  it('reachedThresholds: spent ≥ pct % of the budget, to the nano-dollar; a budget of 0 has none', () => {
    expect(reachedThresholds(49_999, 100_000, [50, 80, 100])).toEqual([]);
    expect(reachedThresholds(50_000, 100_000, [50, 80, 100])).toEqual([50]);
    expect(reachedThresholds(100_000, 100_000, [50, 80, 100])).toEqual([50, 80, 100]);
    expect(reachedThresholds(250_000, 100_000, [100, 200, 300])).toEqual([100, 200]);
    // A third of a budget that does not divide evenly: 33 % of 1 n$ … 3 n$.
    expect(reachedThresholds(1, 3, [33, 34])).toEqual([33]);
    expect(reachedThresholds(10, 0, [50])).toEqual([]);
    // The largest budget the admin API accepts, at 1000 %: no overflow to a wrong answer.
    const max = Math.floor(Number.MAX_SAFE_INTEGER / 1e9) * 1e9;
    expect(reachedThresholds(max, max, [100, 1000])).toEqual([100]);
    // Products past 2^53 compare exactly: 33 % of this budget is …992.41 n$, so …992 is short
    // (as floats, …992 × 100 and the budget × 33 round to the same double).
    expect(reachedThresholds(2_972_375_669_999_992, 9_007_198_999_999_977, [33])).toEqual([]);
    expect(reachedThresholds(2_972_375_669_999_993, 9_007_198_999_999_977, [33])).toEqual([33]);
  });

  it('ids and period bounds name the budget, its period and the threshold; spike windows align on the epoch', () => {
    const at = Date.UTC(2026, 2, 19, 14, 2, 11);
    const month = periodBounds('month', at);
    expect(month).toEqual({ start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z', label: '2026-03-01' });
    expect(periodBounds('day', at)).toEqual({ start: '2026-03-19T00:00:00.000Z', end: '2026-03-20T00:00:00.000Z', label: '2026-03-19' });
    expect(periodBounds('total', at)).toEqual({ start: null, end: null, label: 'total' });
    expect(budgetAlertId('key', 'key_1', 'month', month, 80)).toBe('budget:key:key_1:month:2026-03-01:80');
    // A month budget and a day budget starting the same day are different budgets.
    expect(budgetAlertId('team', 't', 'day', periodBounds('day', Date.UTC(2026, 2, 1, 5)), 80)).not.toBe(budgetAlertId('team', 't', 'month', month, 80));
    const w = spikeWindow(15 * 60_000, at);
    expect(new Date(w.startMs).toISOString()).toBe('2026-03-19T14:00:00.000Z');
    expect(w.endMs - w.startMs).toBe(15 * 60_000);
    expect(spikeAlertId('t', 15 * 60_000, w.startMs)).toBe('spike:team:t:15m:2026-03-19T14:00:00.000Z');
  });

  it('Slack text for a key budget, a total budget and a spike; json bodies carry no text', () => {
    const now = Date.UTC(2026, 2, 19);
    const key = budgetAlert({ id: 'x', scope: 'key', teamId: 'team_a', keyId: 'key_b', pct: 80, period: 'month', bounds: periodBounds('month', now), spentNanos: 8_020_000_000, limitNanos: 10_000_000_000, now });
    expect(alertText(key)).toBe('tollgate: key key_b (team team_a) reached 80% of its monthly budget: $8.02 of $10.00 spent since 2026-03-01.');
    const team = budgetAlert({ id: 'y', scope: 'team', teamId: 'team_a', keyId: 'key_b', pct: 100, period: 'total', bounds: periodBounds('total', now), spentNanos: 1_500_000, limitNanos: 1_500_000, now });
    expect(team).not.toHaveProperty('key_id'); // a team's budget, whichever key spent
    expect(alertText(team)).toBe('tollgate: team team_a reached 100% of its total budget: $0.0015 of $0.0015 spent.');
    const spike = spikeAlert({ id: 'z', teamId: 'team_a', windowMs: 3_600_000, startMs: now, spentNanos: 51_300_000_000, limitNanos: 50_000_000_000, now });
    expect(alertText(spike)).toBe('tollgate: team team_a spent $51.30 within 60 minutes (window from 2026-03-19T00:00:00.000Z), more than the $50.00 spend-spike threshold.');
    expect(JSON.parse(renderBody(spike, 'json'))).not.toHaveProperty('text');
    expect(JSON.parse(renderBody(spike, 'slack'))).toEqual({ ...spike, text: alertText(spike) });
  });
});
