import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, adminCall, chat, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { ask, buildCli, PRICED_MOCK, startCli } from './cli-helpers.js';

describe('tollgate requests tail (the built binary)', () => {
  let build: ReturnType<typeof buildCli>;
  beforeAll(() => {
    build = buildCli();
  });
  afterAll(() => build?.remove());

  describe('against a real gateway: every new request from the usage ledger', () => {
    let gw: Instance;
    let tmp: ReturnType<typeof tempDir>;
    beforeAll(async () => {
      tmp = tempDir();
      gw = await startInstance(PRICED_MOCK, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` });
    });
    afterAll(async () => {
      await gw?.close(1000);
      tmp?.remove();
    });

    it('--limit 0 prints only requests after it started, each once with its exact cost, and stops on Ctrl-C with exit 0', async () => {
      const team = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'live' })).json;
      const key = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.id })).json.key;
      const before = await chat(gw.url, key, ask); // recorded before the tail started: not shown

      const tail = startCli(build.bin, ['requests', 'tail', '--interval', '0.2', '--limit', '0'], { TOLLGATE_URL: gw.url, TOLLGATE_ADMIN_KEY: ADMIN_KEY });
      await tail.until((out) => out.startsWith('TIME (UTC)'));
      const calls = [await chat(gw.url, key, ask), await chat(gw.url, key, ask)];
      const ids = calls.map((c) => c.headers.get('x-request-id')!);
      await tail.until((out) => ids.every((id) => out.includes(id)));
      tail.proc.kill('SIGINT');
      expect(await tail.exited).toBe(0);
      const rows = tail.stdout().trim().split('\n').slice(1).map((l) => l.trim().split(/\s{2,}/));
      expect(rows.map((c) => c.at(-1))).toEqual(ids);
      expect(tail.stdout()).not.toContain(before.headers.get('x-request-id')!);
      for (const [i, c] of rows.entries()) {
        expect(c[1]).toBe('200');
        expect(c[2]).toBe(team.id);
        const u = calls[i]!.json.usage;
        expect(Math.round(Number(c[6]) * 1e6)).toBe(u.prompt_tokens * 1000 + u.completion_tokens * 2000);
      }
    });
  });

  describe('against a stand-in gateway (GET /admin/usage/records, newest first, { data: [...] })', () => {
    let server: Server;
    let url: string;
    const asked: URLSearchParams[] = [];
    const rec = (n: number) => ({
      request_id: `req_${n}`,
      time: new Date(Date.UTC(2026, 11, 2, 10, 0, n)).toISOString(),
      team_id: 'team_abc',
      key_id: 'key_abc',
      kind: 'chat',
      provider: 'mock',
      model: 'echo',
      status: n === 3 ? 429 : 200,
      input_tokens: 3,
      output_tokens: 5,
      cost_nanos: 1_234_000,
      latency_ms: 12,
    });
    let pages: (object[] | 'fail')[];
    const ECHOED = 'tg_echoed_admin_key_0123456789';
    beforeAll(async () => {
      server = createServer((req, res) => {
        const u = new URL(req.url!, 'http://x');
        res.setHeader('content-type', 'application/json');
        if (u.pathname.startsWith('/moved/')) return res.writeHead(301, { location: `https://elsewhere.example${u.pathname.slice(6)}` }).end();
        if (req.headers.authorization === `Bearer ${ECHOED}`) return res.writeHead(403).end(JSON.stringify({ error: { message: `key ${ECHOED} refused\u001b[2J\u001b]0;x\u0007` } }));
        if (req.headers.authorization !== `Bearer ${ADMIN_KEY}`) return res.writeHead(401).end(JSON.stringify({ error: { message: 'Invalid API key.' } }));
        if (u.pathname === '/admin/teams') return res.end(JSON.stringify({ data: [{ id: 'team_abc', name: 'search' }] }));
        if (u.pathname !== '/admin/usage/records') return res.writeHead(404).end(JSON.stringify({ error: { message: `Unknown route: GET ${u.pathname}` } }));
        asked.push(u.searchParams);
        const page = pages.shift() ?? [];
        if (page === 'fail') return res.writeHead(503).end(JSON.stringify({ error: { message: 'Storage is unreachable.' } }));
        res.end(JSON.stringify({ data: page }));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((r) => server?.close(r)));

    it('shows the recent requests oldest first, then each new one once, with the filters and `from` passed on; polls through a 503', async () => {
      // Newest first; a poll fails (said once, polled again); the next repeats req_2 (`from` is inclusive): printed once.
      pages = [[rec(2), rec(1)], 'fail', [rec(3), rec(2)]];
      const tail = startCli(build.bin, ['requests', 'tail', '--team', 'search', '--model', 'mock/echo', '--status', '200', '--interval', '0.2', '--limit', '5'], {
        TOLLGATE_URL: url,
        TOLLGATE_ADMIN_KEY: ADMIN_KEY,
      });
      await tail.until((out) => out.includes('req_3'));
      tail.proc.kill('SIGINT');
      expect(await tail.exited).toBe(0);
      const lines = tail.stdout().trim().split('\n');
      expect(lines[0]).toMatch(/^TIME \(UTC\)\s+STATUS\s+TEAM\s+KEY\s+MODEL\s+TOKENS IN\/OUT\s+COST USD\s+LATENCY\s+REQUEST$/);
      expect(lines.slice(1).map((l) => l.trim().split(/\s{2,}/))).toEqual([
        ['2026-12-02 10:00:01', '200', 'team_abc', 'key_abc', 'mock/echo', '3/5', '0.001234', '12ms', 'req_1'],
        ['2026-12-02 10:00:02', '200', 'team_abc', 'key_abc', 'mock/echo', '3/5', '0.001234', '12ms', 'req_2'],
        ['2026-12-02 10:00:03', '429', 'team_abc', 'key_abc', 'mock/echo', '3/5', '0.001234', '12ms', 'req_3'],
      ]);
      expect(Object.fromEntries(asked[0]!)).toEqual({ team_id: 'team_abc', model: 'mock/echo', status: '200', limit: '5' });
      expect(Object.fromEntries(asked[1]!)).toEqual({ team_id: 'team_abc', model: 'mock/echo', status: '200', from: rec(2).time, limit: '500' });
      expect(Object.fromEntries(asked[2]!)).toEqual(Object.fromEntries(asked[1]!));
      expect(tail.stderr()).toBe('tollgate: Storage is unreachable. (HTTP 503) (retrying every 0.2 s)\ntollgate: the gateway answers again\n');
    });

    it('--json prints each record as the API sent it, one per line; a refused key ends the tail with the API message', async () => {
      asked.length = 0;
      pages = [[rec(5), rec(4)]];
      const tail = startCli(build.bin, ['requests', 'tail', '--json', '--interval', '0.2'], { TOLLGATE_URL: url, TOLLGATE_ADMIN_KEY: ADMIN_KEY });
      await tail.until((out) => out.split('\n').length > 2);
      tail.proc.kill('SIGINT');
      await tail.exited;
      expect(tail.stdout().trim().split('\n').map((l) => JSON.parse(l))).toEqual([rec(4), rec(5)]);

      const refused = startCli(build.bin, ['requests', 'tail'], { TOLLGATE_URL: url, TOLLGATE_ADMIN_KEY: 'tg_not_the_admin_key_1' });
      expect(await refused.exited).toBe(1);
      expect(refused.stderr()).toBe('tollgate: Invalid API key. (HTTP 401) — check the admin key (--admin-key or TOLLGATE_ADMIN_KEY)\n');
    });

    it('answers it should not trust: an echoed admin key is redacted, escape sequences dropped, redirects not followed', async () => {
      const echoed = startCli(build.bin, ['teams', 'list'], { TOLLGATE_URL: url, TOLLGATE_ADMIN_KEY: ECHOED });
      expect(await echoed.exited).toBe(1);
      expect(echoed.stderr()).toMatch(/^tollgate: key \[redacted\] refused .*\(HTTP 403\)/);
      expect(echoed.stderr()).not.toContain(ECHOED);
      expect(echoed.stderr()).not.toMatch(/[\u001b\u0007]/);
      const moved = startCli(build.bin, ['teams', 'list'], { TOLLGATE_URL: `${url}/moved`, TOLLGATE_ADMIN_KEY: ADMIN_KEY });
      expect(await moved.exited).toBe(1);
      expect(moved.stderr()).toBe(`tollgate: the gateway at ${url}/moved redirects (HTTP 301) to https://elsewhere.example/admin/teams: use that URL with --url or TOLLGATE_URL\n`);
    });
  });
});
