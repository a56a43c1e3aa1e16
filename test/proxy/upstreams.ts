import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export interface TestUpstream {
  name: string;
  url: string;
  port: number;
  server: Server;
  /** Every request this upstream received. */
  seen: SeenRequest[];
  /** Stops accepting and cuts every open connection (a crashed server). */
  kill(): Promise<void>;
  /** Listens again on the same port (a restarted server). */
  revive(): Promise<void>;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, self: TestUpstream) => void | Promise<void>;

/** A real HTTP server on a loopback port; by default answers `{"upstream": name, "path": url}`. */
export async function startUpstream(name: string, handler?: Handler, port = 0): Promise<TestUpstream> {
  const sockets = new Set<Socket>();
  const self = { name, seen: [] as SeenRequest[] } as TestUpstream;
  const server = createServer((req, res) => {
    self.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (handler) return void Promise.resolve(handler(req, res, self)).catch(() => res.destroy());
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ upstream: name, path: req.url }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (p: number) => new Promise<void>((resolve) => server.listen(p, '127.0.0.1', () => resolve()));
  await listen(port);
  self.port = (server.address() as AddressInfo).port;
  self.url = `http://127.0.0.1:${self.port}`;
  self.server = server;
  self.kill = async () => {
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  self.revive = () => listen(self.port);
  self.close = async () => {
    if (server.listening) await self.kill();
  };
  return self;
}
