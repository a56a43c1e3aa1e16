import { Redis } from 'ioredis';

const CHANNEL = 'tg:admin';

export interface AdminBus {
  /** Tells every instance (this one included) that teams, keys or published prompts changed. */
  publish(event: { type: 'keys' | 'teams' | 'prompts'; id: string }): Promise<void>;
  close(): Promise<void>;
}

/**
 * Admin changes broadcast over Redis pub/sub: each instance reloads its key map from the shared
 * database. The database stays the truth; a missed message is covered by the database lookup of
 * unknown keys and, for revocations, by the admission script's revoked set.
 */
export function createRedisBus(url: string, onChange: () => void, onError: (err: Error) => void = () => {}): AdminBus {
  const pub = new Redis(url, { maxRetriesPerRequest: 2, commandTimeout: 2000 });
  const sub = new Redis(url);
  pub.on('error', () => {});
  sub.on('error', () => {});
  sub.subscribe(CHANNEL).catch(onError);
  sub.on('message', (channel) => {
    if (channel !== CHANNEL) return;
    try {
      onChange();
    } catch (err) {
      onError(err as Error);
    }
  });
  return {
    async publish(event) {
      await pub.publish(CHANNEL, JSON.stringify(event));
    },
    async close() {
      await Promise.all([pub.quit().catch(() => pub.disconnect()), sub.quit().catch(() => sub.disconnect())]);
    },
  };
}

/** One instance: changes are applied where they are made. */
export function createLocalBus(onChange: () => void): AdminBus {
  return {
    async publish() {
      onChange();
    },
    async close() {},
  };
}
