import { cell, usd, when } from './output.js';

/**
 * One line per record for a live view: columns keep the widest value seen so far, so lines
 * stay aligned without knowing the rows in advance.
 */
export class LiveColumns {
  private widths: number[];
  /** Headers with the width their values usually take (ids, times), so the header lines up from the first row. */
  constructor(private readonly headers: [string, number][]) {
    this.widths = headers.map(([h, w]) => Math.max(h.length, w));
  }
  header(): string {
    return this.line(this.headers.map(([h]) => h));
  }
  line(values: (string | number | null | undefined)[]): string {
    const cells = values.map(cell);
    cells.forEach((c, i) => (this.widths[i] = Math.max(this.widths[i]!, c.length)));
    return cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(this.widths[i]!))).join('  ') + '\n';
  }
}

/**
 * A record of `GET /admin/usage/records` (newest first, `{ data: [...] }`): `request_id`, `time`,
 * `team_id`, `key_id`, `model` (`provider` beside it), `status`, `input_tokens`, `output_tokens`,
 * `cost_nanos`, `latency_ms`. Read defensively: a missing field shows as `-`.
 */
export type RequestRecord = Record<string, unknown>;

export const recordId = (r: RequestRecord): string | undefined => str(r.request_id ?? r.id);
export const recordTime = (r: RequestRecord): unknown => r.time ?? r.created_at;

export const REQUEST_HEADERS: [string, number][] = [
  ['TIME (UTC)', 19],
  ['STATUS', 6],
  ['TEAM', 17],
  ['KEY', 16],
  ['MODEL', 20],
  ['TOKENS IN/OUT', 13],
  ['COST USD', 10],
  ['LATENCY', 8],
  ['REQUEST', 0],
];

export function requestCells(r: RequestRecord): (string | number | undefined)[] {
  const model = str(r.model);
  const provider = str(r.provider);
  const tokens = r.input_tokens === undefined && r.output_tokens === undefined ? undefined : `${str(r.input_tokens) ?? '-'}/${str(r.output_tokens) ?? '-'}`;
  return [
    when(recordTime(r)),
    str(r.status),
    str(r.team_id ?? r.team),
    str(r.key_id ?? r.key),
    model && provider && !model.includes('/') ? `${provider}/${model}` : model,
    tokens,
    r.cost_nanos === undefined && r.cost_usd === undefined ? undefined : usd(r.cost_nanos, r.cost_usd),
    typeof r.latency_ms === 'number' ? `${r.latency_ms}ms` : undefined,
    recordId(r),
  ];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}
