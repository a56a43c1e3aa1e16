#!/usr/bin/env node
// The cheapest OpenAI-shaped upstream we can run in Node, for the workers-mode comparison
// (bench/workers.ts): a `net` server that answers every POST on a keep-alive connection with one
// canned `chat.completion` (with usage), without an HTTP parser or a JSON parse. On a 2-core
// machine the upstream and the load generator share the cores with the gateway's workers; the
// node:http mock (./mock-openai.mjs) costs ~30 µs of CPU per request, this one a few, so what the
// comparison measures is the gateway. Loopback only; pipelined requests are answered in order.
//
//   node bench/raw-upstream.mjs --port-file FILE   (prints nothing; writes its port to FILE)
import net from 'node:net';
import fs from 'node:fs';

const i = process.argv.indexOf('--port-file');
const portFile = i > 0 ? process.argv[i + 1] : '';

const body = JSON.stringify({
  id: 'chatcmpl-raw',
  object: 'chat.completion',
  created: 1764748800,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'The quick brown fox jumps over the lazy dog while a gateway forwards every token.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 60, completion_tokens: 20, total_tokens: 80, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
  system_fingerprint: 'fp_raw',
});
const answer = Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n${body}`);
const health = Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok');
const HEAD_END = Buffer.from('\r\n\r\n');

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    const out = [];
    for (;;) {
      const end = buf.indexOf(HEAD_END);
      if (end < 0) break;
      const head = buf.toString('latin1', 0, end);
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      const total = end + 4 + (m ? Number(m[1]) : 0);
      if (buf.length < total) break;
      out.push(head.startsWith('GET') ? health : answer);
      buf = buf.subarray(total);
    }
    if (out.length) socket.write(out.length === 1 ? out[0] : Buffer.concat(out));
  });
  socket.on('error', () => socket.destroy());
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  if (portFile) fs.writeFileSync(portFile, String(port));
  else console.log(port);
});
