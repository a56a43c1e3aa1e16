import type { IncomingMessage } from 'node:http';
import { proxyUsageRecord } from './forward.js';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { Principal } from '../engine/auth.js';
import { GatewayError, openAIErrorBody } from '../engine/errors.js';
import type { UsageSink } from '../metering/usage-record.js';
import { pickUpstream } from './balancer.js';
import { upstreamRequestHeaders } from './headers.js';
import { reportFailure, reportSuccess } from './health.js';
import type { RouteMatch } from './match-route.js';

export interface UpgradeCall {
  requestId: string;
  startedAt: number;
  principal: Principal;
  match: RouteMatch;
  key?: string;
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  sink: UsageSink;
}

/**
 * WebSocket (any `Upgrade`) pass-through: the upstream handshake goes through undici's
 * `upgrade()` on the route's pool, its 101 is relayed, then bytes flow both ways untouched.
 * One usage record when the tunnel closes (bytes each way).
 */
export async function proxyUpgrade(call: UpgradeCall): Promise<void> {
  const { route, path } = call.match;
  const upstream = pickUpstream(route, [], Date.now());
  const headers = upstreamRequestHeaders(call.req.headers, route.requestHeaders, {
    ...(call.key !== undefined && { key: call.key }),
    clientIp: call.req.socket.remoteAddress ?? '',
    requestId: call.requestId,
    upstreamHost: upstream.host,
  });
  let bytesIn = call.head.length;
  let bytesOut = 0;
  let status = 101;
  try {
    // An Agent routes by `origin`, which UpgradeOptions' type leaves out.
    const opts = { origin: upstream.origin, path: upstream.basePath + path, method: 'GET', headers, protocol: String(call.req.headers.upgrade ?? 'websocket') };
    const up = await route.dispatcher.upgrade(opts as Dispatcher.UpgradeOptions);
    reportSuccess(upstream);
    const lines = ['HTTP/1.1 101 Switching Protocols'];
    for (const [k, v] of Object.entries(up.headers)) {
      for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined) lines.push(`${k}: ${one}`);
    }
    call.socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (call.head.length) up.socket.write(call.head);
    call.socket.on('data', (c: Buffer) => (bytesIn += c.length));
    up.socket.on('data', (c: Buffer) => (bytesOut += c.length));
    call.socket.pipe(up.socket);
    up.socket.pipe(call.socket);
    await new Promise<void>((resolve) => {
      let open = 2;
      const end = () => {
        if (--open === 0) resolve();
      };
      const closeBoth = () => {
        call.socket.destroy();
        up.socket.destroy();
      };
      call.socket.once('close', () => (closeBoth(), end()));
      up.socket.once('close', () => (closeBoth(), end()));
      call.socket.on('error', closeBoth);
      up.socket.on('error', closeBoth);
    });
  } catch (err) {
    reportFailure(route, upstream, Date.now());
    status = 502;
    rejectUpgrade(call.socket, new GatewayError({ status: 502, type: 'api_error', code: 'upstream_unreachable', message: `route ${route.name}: the upstream refused the upgrade (${(err as { code?: string }).code ?? 'error'})` }));
  } finally {
    const rec = proxyUsageRecord({ requestId: call.requestId, principal: call.principal, startedAt: call.startedAt, route: route.name }, { status, attempts: 1, bytesIn, bytesOut });
    call.sink.record(rec);
  }
}

/** Answers an upgrade request with an error in OpenAI's envelope, then closes the socket. */
export function rejectUpgrade(socket: Duplex, e: GatewayError): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify(openAIErrorBody(e.shape));
  socket.end(`HTTP/1.1 ${e.status} ${e.status === 101 ? '' : 'Error'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
