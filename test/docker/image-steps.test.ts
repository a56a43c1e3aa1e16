/**
 * No container engine here, so the Dockerfile's steps are exercised as written: its build
 * stage's COPY lines assemble a build context in a temp dir (node_modules linked instead of
 * `npm ci`), its RUN build command runs, the runtime stage's COPY lines assemble the image's
 * /app from that, and its CMD starts with its ENV (HOST=0.0.0.0) until `/readyz` answers.
 * A file the build needs but the Dockerfile forgets to copy fails here.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dockerfile = readFileSync(join(ROOT, 'docker/Dockerfile'), 'utf8');
const stages = dockerfile.split(/^FROM /m).slice(1);
const tmp = mkdtempSync(join(tmpdir(), 'tollgate-image-'));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Where `COPY src dest` puts src under root: into dest when dest is a directory (`./`, `x/`), else at dest. */
const target = (root: string, src: string, dest: string) => (dest.endsWith('/') ? join(root, dest, basename(src)) : join(root, dest));

/** `COPY a b ./dest` lines (no --from) of a stage: sources and destination. */
function copies(stage: string): Array<{ from?: string; src: string[]; dest: string }> {
  return [...stage.matchAll(/^COPY\s+(.+)$/gm)].map((m) => {
    const words = m[1]!.trim().split(/\s+/);
    const from = words.find((w) => w.startsWith('--from='))?.slice(7);
    const rest = words.filter((w) => !w.startsWith('--'));
    return { ...(from && { from }), src: rest.slice(0, -1), dest: rest.at(-1)! };
  });
}

describe('docker/Dockerfile, step by step', () => {
  it('build stage: COPY + RUN npm run build; runtime stage: COPY + ENV + CMD serves /readyz on HOST=0.0.0.0', async () => {
    expect(stages.length).toBe(2);
    const [build, runtime] = stages as [string, string];
    const buildDir = join(tmp, 'build');
    for (const c of copies(build)) {
      for (const src of c.src) cpSync(join(ROOT, src), target(buildDir, src, c.dest), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(buildDir, 'node_modules'), 'dir');
    const runBuild = /^RUN (npm run build)/m.exec(build);
    expect(runBuild, 'the build stage runs npm run build').not.toBeNull();
    const b = spawnSync('npm', ['run', 'build'], { cwd: buildDir, encoding: 'utf8' });
    expect(b.status, b.stderr + b.stdout).toBe(0);

    const appDir = join(tmp, 'app');
    for (const c of copies(runtime)) {
      const base = c.from ? buildDir : ROOT;
      for (const src of c.src) {
        if (src === '/app/node_modules') continue; // linked below (the pruned node_modules of the build stage)
        cpSync(join(base, src.replace(/^\/app\//, '')), target(appDir, src, c.dest), { recursive: true });
      }
    }
    symlinkSync(join(ROOT, 'node_modules'), join(appDir, 'node_modules'), 'dir');

    const env: Record<string, string> = {};
    for (const m of runtime.matchAll(/^ENV\s+([\s\S]+?)(?=^\S)/gm)) {
      for (const kv of m[1]!.replace(/\\\n/g, ' ').trim().split(/\s+/)) {
        const [k, v] = kv.split('=');
        env[k!] = v!;
      }
    }
    expect(env.HOST).toBe('0.0.0.0');
    // The allocator settings `npm start` sets before `node` are the image's too (same RSS).
    const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const startEnv = start.slice(0, start.indexOf('node ')).trim().split(/\s+/).filter(Boolean);
    expect(startEnv.length).toBeGreaterThan(0);
    for (const kv of startEnv) expect(env, kv).toMatchObject({ [kv.split('=')[0]!]: kv.split('=')[1] });
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)![1]!) as string[];
    expect(cmd.at(-1)).toBe('dist/tollgate.mjs');
    const port = await freePort();
    child = spawn(process.execPath, cmd.slice(1), {
      cwd: appDir,
      env: { PATH: process.env.PATH!, ...env, PORT: String(port), TOLLGATE_DATABASE_URL: `sqlite:${join(tmp, 'data.db')}`, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 30_000;
    let ready: { status: number; body: any } | undefined;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        ready = { status: r.status, body: await r.json() };
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(ready, stderr).toEqual({ status: 200, body: { status: 'ok', checks: { storage: 'ok' } } });
    const chat = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mock/echo', messages: [{ role: 'user', content: 'from the image' }] }) });
    expect(chat.status).toBe(200);
    expect(((await chat.json()) as any).choices[0].message.content).toContain('from the image');
    // The CMD runs the one-file bundle: the parts it leaves outside (Swagger UI's static files,
    // prom-client's process metrics, the SSE writer) work from there too.
    const stream = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mock/echo', stream: true, messages: [{ role: 'user', content: 'streamed' }] }) });
    const frames = await stream.text();
    expect(frames).toContain('"content":"streamed"');
    expect(frames.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/docs/static/swagger-ui.css`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toMatch(/^tollgate_process_cpu_user_seconds_total /m);
  }, 180_000);

  it('npm start on a current build: no rebuild, the gateway answers (the build above is current)', async () => {
    const buildDir = join(tmp, 'build');
    cpSync(join(ROOT, 'migrations'), join(buildDir, 'migrations'), { recursive: true }); // not a build input; the runtime stage copies it
    const port = await freePort();
    const start = spawn('npm', ['start', '--silent'], {
      cwd: buildDir,
      detached: true,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? tmp, PORT: String(port), TOLLGATE_DATABASE_URL: `sqlite:${join(tmp, 'start.db')}`, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    start.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      let status = 0;
      for (const deadline = Date.now() + 30_000; Date.now() < deadline && start.exitCode === null && !status; ) {
        status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.status,
          () => new Promise<number>((r) => setTimeout(() => r(0), 50)),
        );
      }
      expect(status, stderr).toBe(200);
      expect(stderr).not.toContain('building');
    } finally {
      if (start.exitCode === null) process.kill(-start.pid!, 'SIGKILL');
    }
  }, 60_000);
});
