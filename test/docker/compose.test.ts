/**
 * docker/compose.yaml and docker/nginx.conf, checked as written (no container engine here): two
 * gateway instances on PostgreSQL and Redis behind the nginx load balancer, every service with a
 * health check, the stateful ones with named volumes, and start order by health.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
// `<<: *gateway` merges the shared gateway settings into each instance, as docker compose does.
const compose = parse(readFileSync(root('docker/compose.yaml'), 'utf8'), { merge: true });
const nginx = readFileSync(root('docker/nginx.conf'), 'utf8');
const services: Record<string, any> = compose.services;
const gateways = Object.keys(services).filter((s) => s.startsWith('gateway-'));

/** `${NAME:-default}` → default (what compose uses when NAME is unset). */
const withDefaults = (v: string) => v.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
const healthy = (s: any) => Array.isArray(s.healthcheck?.test) && s.healthcheck.test[0] === 'CMD' && s.healthcheck.test.length > 1;

describe('docker compose: two gateways, nginx, Redis, PostgreSQL', () => {
  it('two gateway instances on PostgreSQL and Redis, each with a readiness health check, started after both are healthy', () => {
    expect(gateways).toEqual(['gateway-1', 'gateway-2']);
    const pg = services.postgres;
    for (const name of gateways) {
      const g = services[name];
      expect(g.build, name).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
      const url = new URL(withDefaults(g.environment.TOLLGATE_DATABASE_URL));
      expect(url.protocol, name).toBe('postgres:');
      expect([url.hostname, url.port, url.username, url.password, url.pathname], name).toEqual([
        'postgres',
        '5432',
        pg.environment.POSTGRES_USER,
        withDefaults(pg.environment.POSTGRES_PASSWORD),
        `/${pg.environment.POSTGRES_DB}`,
      ]);
      expect(g.environment.TOLLGATE_REDIS_URL, name).toBe('redis://redis:6379');
      expect(g.depends_on, name).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
      expect(healthy(g), name).toBe(true);
      expect(g.healthcheck.test.join(' '), name).toContain('http://127.0.0.1:8787/readyz');
      expect(g.hostname, name).toBe(name);
    }
    // Each instance its own spool volume (a spool is never shared between two live processes).
    const spools = gateways.map((n) => services[n].volumes.find((v: string) => v.endsWith(':/data')).split(':')[0]);
    expect(new Set(spools).size).toBe(2);
    for (const v of spools) expect(compose.volumes).toHaveProperty(v);
  });

  it('PostgreSQL and Redis: health checks and named volumes for their data', () => {
    expect(services.postgres.image).toMatch(/^postgres:(1[5-9]|[2-9]\d)/); // NULLS NOT DISTINCT needs 15+
    expect(services.postgres.healthcheck.test).toEqual(['CMD', 'pg_isready', '-U', 'tollgate', '-d', 'tollgate']);
    expect(services.redis.healthcheck.test).toEqual(['CMD', 'redis-cli', 'ping']);
    const dataVolume = (s: string, path: string) => services[s].volumes.find((v: string) => v.endsWith(`:${path}`))?.split(':')[0];
    expect(compose.volumes).toHaveProperty(dataVolume('postgres', '/var/lib/postgresql/data')!);
    expect(compose.volumes).toHaveProperty(dataVolume('redis', '/data')!);
    expect(services.redis.command).toContain('--appendonly');
  });

  it('the load balancer: nginx with docker/nginx.conf, whose upstream is every gateway instance, published on one port', () => {
    const lb = services.lb;
    expect(lb.image).toMatch(/^nginx:/);
    expect(lb.volumes).toContain('./nginx.conf:/etc/nginx/conf.d/default.conf:ro');
    expect(lb.ports).toEqual(['127.0.0.1:8787:8787']);
    expect(lb.depends_on).toEqual(Object.fromEntries(gateways.map((g) => [g, { condition: 'service_healthy' }])));
    expect(healthy(lb)).toBe(true);

    const upstream = /upstream\s+(\w+)\s*\{([^}]*)\}/.exec(nginx);
    expect(upstream).not.toBeNull();
    const servers = [...upstream![2]!.matchAll(/^\s*server\s+([\w.-]+):(\d+)\s*;/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(servers.sort()).toEqual(gateways.map((g) => `${g}:8787`).sort());
    expect(nginx).toMatch(new RegExp(`proxy_pass\\s+http://${upstream![1]}\\s*;`));
    expect(nginx).toMatch(/listen\s+8787\s*;/);
    expect(nginx).toMatch(/proxy_buffering\s+off\s*;/); // streams pass through unbuffered
  });

  it('every service that runs by default has a health check', () => {
    for (const [name, s] of Object.entries(services)) if (!s.profiles) expect(healthy(s), name).toBe(true);
  });
});
