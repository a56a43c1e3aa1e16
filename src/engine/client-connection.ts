import type { ServerResponse } from 'node:http';
import type { CallSignal } from '../../providers/adapter.js';

/**
 * A request's abort signal, lighter than an AbortController's: Node builds an EventTarget per
 * AbortSignal and a listener record per addEventListener, ~5 µs per request in the pass-through
 * benchmark's CPU profile. Same contract for what the engine and undici use: `aborted`, `reason`,
 * listeners called once when it aborts, none after (like an AbortSignal's, a listener added to an
 * aborted signal is never called).
 */
class ClientSignal implements CallSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<() => void> | undefined;

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const l = this.listeners;
    const i = l ? l.indexOf(listener) : -1;
    if (i !== -1) l!.splice(i, 1);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = new DOMException('This operation was aborted', 'AbortError');
    const l = this.listeners;
    this.listeners = undefined;
    if (!l) return;
    for (const f of l) {
      try {
        f();
      } catch (err) {
        // Like an EventTarget: one failing listener does not keep the others from running.
        process.nextTick(() => {
          throw err;
        });
      }
    }
  }
}

/**
 * The client's side of a request, as the engine sees it: a signal that aborts when the client
 * goes away before the response finished (the upstream request is then ended at once), and
 * backpressure (a slow client slows the upstream read instead of filling the gateway's memory).
 */
export function abortOnClientClose(res: ServerResponse): CallSignal {
  const signal = new ClientSignal();
  res.once('close', () => {
    if (!res.writableFinished) signal.abort();
  });
  return signal;
}

/** Resolves when the socket drains or closes (a close also aborts the upstream). */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
