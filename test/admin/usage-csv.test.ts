import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usageCsv, type UsageRow } from '../../src/admin/usage-report.js';
import { ADMIN_KEY, adminCall, chat, startInstance, tempDir, type Instance } from '../helpers/instance.js';

/** The cells of one CSV line (RFC 4180: quoted cells, "" for a quote). */
function cells(line: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= line.length; ) {
    if (line[i] === '"') {
      let text = '';
      for (let j = i + 1; ; ) {
        const q = line.indexOf('"', j);
        if (line[q + 1] === '"') {
          text += line.slice(j, q + 1);
          j = q + 2;
        } else {
          text += line.slice(j, q);
          i = q + 2;
          break;
        }
      }
      out.push(text);
    } else {
      const end = line.indexOf(',', i) < 0 ? line.length : line.indexOf(',', i);
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const row = (model: string, n: Partial<UsageRow> = {}): UsageRow => ({ model, requests: 1, input_tokens: 2, output_tokens: 3, cost_usd: 0, cost_nanos: 0, ...n }) as UsageRow;

describe('usage CSV: formula injection is neutralised', () => {
  it('text cells starting with = + - @ tab CR get a leading apostrophe and quotes; numbers stay numbers', () => {
    const names = ['=HYPERLINK("http://evil.example","x")', '+1+2', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1', 'gpt-4o', 'a,b', 'say "hi"'];
    const csv = usageCsv('model', { data: [...names.map((m) => row(m)), row('neg', { requests: -1, input_tokens: -5, cost_nanos: -1_500_000 })] });
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('model,requests,input_tokens,output_tokens,cost_usd');
    // Every line parses back to its cells; injected cells are the original text behind a `'`.
    const firstCells = names.map((_, i) => lines[i + 1]!);
    expect(firstCells[0]).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")",1,2,3,0.000000`);
    expect(firstCells[1]).toBe(`"'+1+2",1,2,3,0.000000`);
    expect(firstCells[2]).toBe(`"'-2+3",1,2,3,0.000000`);
    expect(firstCells[3]).toBe(`"'@SUM(A1:A9)",1,2,3,0.000000`);
    expect(firstCells[6]).toBe('gpt-4o,1,2,3,0.000000');
    expect(firstCells[7]).toBe('"a,b",1,2,3,0.000000');
    expect(firstCells[8]).toBe('"say ""hi""",1,2,3,0.000000');
    // Tab and CR: the CR stays inside the quotes, so split on the record separator is not enough — check the text.
    expect(csv).toContain(`"'\t=1+1",1,2,3,0.000000\r\n`);
    expect(csv).toContain(`"'\r=1+1",1,2,3,0.000000\r\n`);
    // Negative numbers in the numeric columns are written as numbers (no apostrophe, no quotes).
    expect(csv).toContain('\r\nneg,-1,-5,3,-0.001500\r\n');
  });

  describe('through a gateway: a client-chosen model name starting with =HYPERLINK(', () => {
    let gw: Instance;
    let tmp: ReturnType<typeof tempDir>;
    const evil = '=HYPERLINK("evil.example","click")';
    beforeAll(async () => {
      tmp = tempDir();
      gw = await startInstance('providers:\n  mock: { type: mock }\n', { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` });
    });
    afterAll(async () => {
      await gw?.close(1000);
      tmp?.remove();
    });

    it('/admin/usage.csv and /v1/usage.csv never start a cell with a formula character', async () => {
      const team = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'csv' })).json;
      const key = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.id, name: 'k' })).json.key as string;
      for (const model of [`mock/${evil}`, 'mock/-1+2', 'mock/@cmd', 'mock/echo']) {
        expect((await chat(gw.url, key, { model, messages: [{ role: 'user', content: 'a b' }] })).status, model).toBe(200);
      }
      const json = await adminCall(gw.url, 'GET', '/admin/usage?group_by=model');
      const recorded = json.json.data.map((r: { model: string }) => r.model) as string[];
      expect(recorded.some((m) => m.includes(evil))).toBe(true);

      for (const [path, k] of [['/admin/usage.csv?group_by=model', ADMIN_KEY], ['/v1/usage.csv?group_by=model', key]] as const) {
        const res = await fetch(gw.url + path, { headers: { authorization: `Bearer ${k}` } });
        expect(res.status).toBe(200);
        const lines = (await res.text()).trim().split('\r\n').slice(1);
        expect(lines).toHaveLength(recorded.length);
        for (const line of lines) {
          const [first, ...nums] = cells(line);
          expect(first, line).not.toMatch(FORMULA_START);
          for (const n of nums) expect(n, line).toMatch(/^-?\d+(\.\d+)?$/);
        }
        // The neutralised cell is still the name, behind one apostrophe, so nothing is lost.
        const names = lines.map((l) => cells(l)[0]!.replace(/^'(?=[=+\-@\t\r])/, ''));
        expect(names.sort()).toEqual([...recorded].sort());
      }
    });
  });
});
