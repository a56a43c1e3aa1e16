import { describe, expect, it } from 'vitest';
import { newRequestId, timeOrderedHex } from '../../src/server/request-id.js';

describe('request ids', () => {
  it('are req_ and a UUIDv7 hex: the time in ms, version 7, the RFC variant, random bits', () => {
    const id = newRequestId();
    expect(id).toMatch(/^req_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    const ms = parseInt(id.slice(4, 16), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(5_000);
  });

  it('sort by time (so the ledger index grows at its edge) and never repeat', () => {
    const early = timeOrderedHex(1_700_000_000_000);
    const late = timeOrderedHex(1_700_000_000_001);
    expect(early < late).toBe(true);
    const many = new Set(Array.from({ length: 10_000 }, () => newRequestId()));
    expect(many.size).toBe(10_000);
  });

  it('draw their random part afresh each time: every hex digit and all four variant values turn up, across refills of the random pool', () => {
    const ids = Array.from({ length: 2_000 }, () => timeOrderedHex(1_700_000_000_000));
    expect(new Set(ids).size).toBe(2_000);
    expect(new Set(ids.map((id) => id[16])).size).toBe(4);
    for (const pos of [13, 14, 15, 17, 31]) expect(new Set(ids.map((id) => id[pos])).size).toBe(16);
    for (const id of ids) expect(id).toMatch(/^018bcfe568007[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
  });
});
