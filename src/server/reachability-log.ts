import type { FastifyBaseLogger } from 'fastify';

/** The client events a connection (ioredis) emits, as far as reachability goes. */
interface Connection {
  on(event: 'error', cb: (err: Error & { code?: string }) => void): unknown;
  on(event: 'ready', cb: () => void): unknown;
}

/**
 * One `warn` when a shared service becomes unreachable and one when it comes back — on the
 * transition only, not per failed command or reconnect attempt. Names the service and the
 * error code, never the URL (it may carry a password).
 */
export function logReachability(name: string, conn: Connection, log: () => FastifyBaseLogger | undefined): void {
  let up = true;
  conn.on('error', (err) => {
    if (!up) return;
    up = false;
    log()?.warn({ service: name, code: err.code ?? 'error' }, `${name} unreachable: requests that need it are refused until it returns`);
  });
  conn.on('ready', () => {
    if (up) return;
    up = true;
    log()?.warn({ service: name }, `${name} reachable again`);
  });
}
