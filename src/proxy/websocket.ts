import { ServerResponse, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import { admitTraced, type Admission, type AdmissionTicket } from '../engine/admission.js';
import type { Principal } from '../engine/auth.js';
import { refusalHeaders } from '../engine/error-response.js';
import { GatewayError } from '../engine/errors.js';
import { settle } from '../engine/settle.js';
import { asGatewayError } from '../engine/upstream-failure.js';
import type { UsageSink } from '../metering/usage-record.js';
import { pickUpstream } from './balancer.js';
import { proxyUsageRecord, writeProxyError } from './forward.js';
import { upstreamRequestHeaders } from './headers.js';
import { reportFailure, reportSuccess } from './health.js';
import type { RouteMatch } from './match-route.js';
import type { Upstream } from './types.js';

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
  /** Limits and budgets (teams-and-keys), as for proxied HTTP calls; absent = no limits. */
  admission?: Admission;
}

/**
 * WebSocket (any `Upgrade`) pass-through: admitted like a proxied HTTP call (rpm, concurrency,
 * budgets; a refusal is the HTTP proxy's error response), then the upstream handshake goes through
 * undici's `upgrade()` on the route's pool, its 101 is relayed, and bytes flow both ways untouched.
 * Settled when the tunnel closes: one usage record (bytes each way), the concurrency slot freed.
 */
export async function proxyUpgrade(call: UpgradeCall): Promise<void> {
  const { route, path } = call.match;
  let ticket: AdmissionTicket | undefined;
  let upstream: Upstream | undefined;
  let bytesIn = call.head.length;
  let bytesOut = 0;
  let status = 101;
  try {
    if (call.admission) ticket = await admitTraced(call.admission, { principal: call.principal, kind: 'proxy', targets: [], promptTokens: noTokens }, undefined);
    upstream = pickUpstream(route, [], Date.now());
    const headers = upstreamRequestHeaders(call.req.headers, route.requestHeaders, {
      ...(call.key !== undefined && { key: call.key }),
      clientIp: call.req.socket.remoteAddress ?? '',
      requestId: call.requestId,
      upstreamHost: upstream.host,
    });
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
      // A WebSocket is never half-open: the client's FIN ends the tunnel (the HTTP server's
      // sockets allow half-open ones, which would hold it, and its concurrency slot, forever).
      call.socket.once('end', () => call.socket.end());
      call.socket.once('close', () => (closeBoth(), end()));
      up.socket.once('close', () => (closeBoth(), end()));
      call.socket.on('error', closeBoth);
      up.socket.on('error', closeBoth);
    });
  } catch (err) {
    // Refused before any upstream was picked (admission): the error as the HTTP proxy answers it.
    let e = asGatewayError(err);
    if (upstream) {
      reportFailure(route, upstream, Date.now());
      e = new GatewayError({ status: 502, type: 'api_error', code: 'upstream_unreachable', message: `route ${route.name}: the upstream refused the upgrade (${(err as { code?: string }).code ?? 'error'})` });
    }
    status = e.status;
    rejectUpgrade(call.req, call.socket, e, { 'x-request-id': call.requestId, ...refusalHeaders(err) });
  } finally {
    const rec = proxyUsageRecord({ requestId: call.requestId, principal: call.principal, startedAt: call.startedAt, route: route.name }, { status, attempts: upstream ? 1 : 0, bytesIn, bytesOut });
    settle(rec, call.sink, ticket, undefined);
  }
}

const noTokens = () => 0;

/** Answers an upgrade request with the HTTP proxy's error response (status, envelope, headers), then closes the socket. */
export function rejectUpgrade(req: IncomingMessage, socket: Duplex, e: GatewayError, headers: OutgoingHttpHeaders = {}): void {
  if (!socket.writable) return void socket.destroy();
  writeProxyError(socketResponse(req, socket), e, headers);
}

/** An HTTP response written on an upgrade request's socket (it has left Node's HTTP parser); the socket closes once it is sent. */
export function socketResponse(req: IncomingMessage, socket: Duplex): ServerResponse {
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Socket);
  res.on('finish', () => {
    res.detachSocket(socket as Socket);
    socket.end();
  });
  return res;
}
