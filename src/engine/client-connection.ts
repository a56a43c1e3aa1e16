import type { ServerResponse } from 'node:http';

/**
 * The client's side of a request, as the engine sees it: a signal that aborts when the client
 * goes away before the response finished (the upstream request is then ended at once), and
 * backpressure (a slow client slows the upstream read instead of filling the gateway's memory).
 */
export function abortOnClientClose(res: ServerResponse): AbortSignal {
  const ac = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) ac.abort();
  });
  return ac.signal;
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
