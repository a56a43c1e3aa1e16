import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import { openStorage, type Storage } from '../../storage/open.js';
import { MAX_STORED_CHARS, responseKeeper } from './keep.js';

let storage: Storage | undefined;
afterEach(() => storage?.close());

/** A logger that keeps what it is told. */
function logger() {
  const lines: Array<[string, unknown, string]> = [];
  const at = (level: string) => (obj: unknown, msg: string) => void lines.push([level, obj, msg]);
  return { lines, log: { warn: at('warn'), error: at('error') } as unknown as FastifyBaseLogger };
}

const until = async (check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 400 && !(await check()); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('responseKeeper', () => {
  it('writes the response of a JSON body or of a stream’s terminal event, after the current turn', async () => {
    storage = await openStorage('sqlite::memory:');
    const repo = storage.store.responses;
    const { log } = logger();
    const keep = responseKeeper({ repo, teamId: 't', body: { model: 'm', input: 'hi', instructions: 'Be brief.' }, log, secrets: [] });
    keep('{"id":"resp_1","object":"response","model":"m-1","output":[{"type":"message"}]}');
    // Not written yet: the write waits for the next turn of the event loop.
    expect(await repo.get('resp_1', 't')).toBeUndefined();
    keep('event: response.completed\ndata: {"type":"response.completed","response":{"id":"resp_2","object":"response","output":[]},"sequence_number":9}\n\n');
    await until(async () => (await repo.get('resp_2', 't')) !== undefined);
    expect(await repo.get('resp_1', 't')).toMatchObject({ model: 'm-1', instructions: 'Be brief.', outputItems: '[{"type":"message"}]' });
    expect(JSON.parse((await repo.get('resp_2', 't'))!.response)).toEqual({ id: 'resp_2', object: 'response', output: [] });
  });

  it(`a response larger than ${MAX_STORED_CHARS} characters is not kept, and the skip is logged as a warning`, async () => {
    storage = await openStorage('sqlite::memory:');
    const repo = storage.store.responses;
    const { log, lines } = logger();
    const keep = responseKeeper({ repo, teamId: 't', body: { model: 'm', input: 'x'.repeat(MAX_STORED_CHARS) }, log, secrets: [] });
    keep('{"id":"resp_big","object":"response","output":[]}');
    await until(() => lines.length > 0);
    expect(lines).toEqual([['warn', expect.objectContaining({ responseId: 'resp_big', max: MAX_STORED_CHARS }), expect.stringMatching(/too large/)]]);
    expect(await repo.get('resp_big', 't')).toBeUndefined();
  });

  it('a body with no response object is an error that is logged, secrets scrubbed', async () => {
    storage = await openStorage('sqlite::memory:');
    const { log, lines } = logger();
    responseKeeper({ repo: storage.store.responses, teamId: 't', body: { model: 'm' }, log, secrets: [] })('{"object":"list"}');
    await until(() => lines.length > 0);
    expect(lines[0]).toEqual(['error', { err: { message: 'the final answer holds no response object' } }, expect.stringMatching(/storing the response failed/)]);
  });
});
