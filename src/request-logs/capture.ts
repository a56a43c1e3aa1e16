import type { ServerResponse } from 'node:http';
import type { Principal } from '../engine/auth.js';
import type { Snapshot } from '../engine/runtime.js';
import type { UsageRecord, UsageSink } from '../metering/usage-record.js';
import { Budget } from './assembly.js';
import { StreamAssembler } from './assemble-stream.js';
import { REDACT_MARGIN } from './redact.js';
import type { RequestLogKind, RequestLogWriter } from './writer.js';

export interface RequestLogCapture {
  /** Forwards to the request's sink, and learns the usage record (time, status, model) the row is stored with. */
  readonly sink: UsageSink;
  /** Store what this builds (from the usage record) instead of the bytes sent: embeddings summarise their vectors. */
  replaceResponse(build: (rec: UsageRecord) => string): void;
}

/**
 * The writer when this request's bodies are to be stored (request logs on for everyone, or for
 * the caller's team — a flag on the principal, no database read), else undefined. This check is
 * all a request costs when the feature is off: nothing is captured, copied or buffered.
 */
export function requestLogsFor(writer: RequestLogWriter | undefined, snapshot: Snapshot, principal: Principal): RequestLogWriter | undefined {
  return writer && (snapshot.requestLogs.enabled || principal.requestLogs) ? writer : undefined;
}

/**
 * Captures one request's bodies: `request` as received, the response as the client is sent it
 * (the chunks of `res`; an event stream folded into its answer), written once the usage record
 * arrives through the returned sink and the response is over.
 */
export function startCapture(writer: RequestLogWriter, snapshot: Snapshot, kind: RequestLogKind, request: string | null, res: ServerResponse, sink: UsageSink): RequestLogCapture {
  const { maxBodyBytes } = snapshot.requestLogs;
  const keep = maxBodyBytes + REDACT_MARGIN;
  let rec: UsageRecord | undefined;
  let closed = false;
  let done = false;
  let replaced: ((rec: UsageRecord) => string) | undefined;
  // What the client was sent: a JSON body held as its chunks (references, not copies; at most
  // `keep` characters' worth), or an event stream folded into its answer as it goes.
  let stream: StreamAssembler | undefined;
  let sniffed = false;
  const chunks: (string | Uint8Array)[] = [];
  let held = 0;
  let cut = false;

  const onChunk = (chunk: unknown) => {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) return;
    if (!chunk.length) return;
    if (!sniffed) {
      sniffed = true;
      if (kind !== 'embeddings' && looksLikeEventStream(chunk)) stream = new StreamAssembler(kind, new Budget(keep));
    }
    if (stream) stream.feed(chunk);
    else if (held < keep) {
      chunks.push(chunk);
      held += chunk.length;
    } else cut = true;
  };
  tap(res, onChunk);

  const finish = () => {
    if (done || !rec || !closed) return;
    done = true;
    const r = rec;
    writer.enqueue({
      requestId: r.requestId,
      time: r.time,
      teamId: r.teamId,
      keyId: r.keyId,
      kind,
      model: r.model ?? r.requestedModel ?? null,
      status: r.status,
      request: { text: request, cut: false },
      response: () => (replaced ? { text: replaced(r), cut: false } : stream ? stream.result() : { text: joined(chunks), cut }),
      maxBodyBytes,
      rules: { secrets: snapshot.secrets, patterns: snapshot.requestLogs.redact },
    });
  };
  // Written once the usage record exists and the response is over (either may come first: a
  // failed call records after its error body; a cut stream's close comes before its record).
  res.once('close', () => {
    closed = true;
    finish();
  });
  return {
    sink: {
      record(r) {
        sink.record(r);
        rec = r;
        finish();
      },
    },
    replaceResponse(build) {
      replaced = build;
    },
  };
}

/** Sees every chunk written to this response (only this one: the methods are wrapped on the instance). */
function tap(res: ServerResponse, onChunk: (chunk: unknown) => void): void {
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    onChunk(chunk);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    onChunk(chunk);
    return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
}

/** An SSE body starts with a field line (`data:`, `event:`, `id:`) or a comment; a JSON body with `{`. */
function looksLikeEventStream(chunk: string | Uint8Array): boolean {
  const head = typeof chunk === 'string' ? chunk.slice(0, 8) : Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, 8)).toString('latin1');
  return /^(?:data:|event:|id:|:)/.test(head);
}

function joined(chunks: (string | Uint8Array)[]): string | null {
  if (!chunks.length) return null;
  if (chunks.length === 1 && typeof chunks[0] === 'string') return chunks[0];
  return Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))).toString('utf8');
}
