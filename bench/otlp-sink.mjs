#!/usr/bin/env node
// Minimal OTLP/HTTP trace sink for `TRACING=1 npm run bench`: accepts POST /v1/traces (JSON, as
// the gateway's exporter sends it), counts requests and spans, answers 200 `{}`.
// Plain node:http, no dependencies, loopback only.
//
//   node otlp-sink.mjs [--port 0] [--port-file FILE]
//
// GET /__stats -> {"posts": n, "spans": n, "bytes": n} (the harness prints it: proof that the
// spans really left the gateway during the run).
import http from 'node:http';
import fs from 'node:fs';

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i !== -1 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

const stats = { posts: 0, spans: 0, bytes: 0 };

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(stats));
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/v1/traces') {
      const text = Buffer.concat(chunks).toString('utf8');
      stats.posts++;
      stats.bytes += text.length;
      try {
        for (const rs of JSON.parse(text).resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) stats.spans += (ss.spans ?? []).length;
      } catch {
        // not JSON: counted as a post, no spans
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});

server.listen(Number(arg('port', '0')), '127.0.0.1', () => {
  const file = arg('port-file', '');
  if (file) fs.writeFileSync(file, String(server.address().port));
});
