import { formatUsd } from '../metering/money.js';

/** Output for people (aligned tables) and for programs (JSON as the API returned it). */

export interface Column<R> {
  header: string;
  value: (row: R) => string | number | null | undefined;
  /** Right-aligned (numbers). */
  right?: boolean;
}

/**
 * An aligned text table: a header, one line per row, and optionally a footer line (totals)
 * under a rule. Cells are single-line (control characters shown as spaces), so a value a client
 * chose (a model or team name) cannot break the layout or write escape sequences to a terminal.
 */
export function table<R>(columns: Column<R>[], rows: R[], footer?: R): string {
  const cells = (r: R) => columns.map((c) => cell(c.value(r)));
  const body = rows.map(cells);
  // A footer (totals) leaves the columns it has no value for blank.
  const foot = footer ? columns.map((c) => { const v = c.value(footer); return v === undefined || v === null ? '' : cell(v); }) : undefined;
  const widths = columns.map((c, i) => Math.max(c.header.length, ...body.map((r) => r[i]!.length), foot ? foot[i]!.length : 0));
  const line = (r: string[]) =>
    r
      .map((v, i) => (columns[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(columns.map((c) => c.header)), ...body.map(line)];
  if (foot) out.push(widths.map((w) => '-'.repeat(w)).join('  '), line(foot));
  return out.join('\n') + '\n';
}

export function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '-';
  return printable(String(v));
}

/** Text from the gateway (or from whoever answers at --url) made safe for a terminal: one line, no control characters, bounded. */
export function printable(text: string, max = 2000): string {
  // eslint-disable-next-line no-control-regex
  const s = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

export const json = (value: unknown): string => JSON.stringify(value, null, 2) + '\n';

/** Integer nano-dollars → exact USD text, 6 to 9 decimals (no float rounding on the way). */
export function usd(nanos: unknown, fallbackUsd?: unknown): string {
  if (typeof nanos === 'number' && Number.isSafeInteger(nanos)) return formatUsd(nanos);
  return typeof fallbackUsd === 'number' && Number.isFinite(fallbackUsd) ? fallbackUsd.toFixed(6) : '-';
}

/** An ISO time (or Unix ms) as `YYYY-MM-DD HH:MM:SS` UTC; anything else as given. */
export function when(v: unknown): string {
  const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) return v === null || v === undefined ? '-' : String(v);
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export const write = (text: string): void => {
  process.stdout.write(text);
};
