import type { Redis } from 'ioredis';
import { newRedis } from '../config/redis-client.js';

const CHANNEL = 'tg:admin';

/** What changed: the type of object and its id. */
export type AdminChange = { type: 'keys' | 'teams' | 'prompts'; id: string };

export interface AdminBus {
  /** Tells every instance (this one included) that teams, keys or published prompts changed. */
  publish(event: { type: 'keys' | 'teams' | 'prompts'; id: string }): Promise<void>;
  /** Resolves once this instance hears changes (subscribed); false when that took longer than `ms`. */
  ready(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Admin changes broadcast over Redis pub/sub: each instance reloads its key map from the shared
 * database. The database stays the truth; a missed message is covered by the database lookup of
 * unknown keys and, for revocations, by the admission script's revoked set.
 */
export function createRedisBus(url: string, onChange: (change: AdminChange) => void, onError: (err: Error) => void = () => {}): AdminBus {
  const pub = newRedis(url, { maxRetriesPerRequest: 2, commandTimeout: 2000 });
  const sub = newRedis(url, {});
  pub.on('error', () => {});
  sub.on('error', () => {});
  const subscribed = sub.subscribe(CHANNEL).then(
    () => true,
    (err: Error) => {
      onError(err);
      return false;
    },
  );
  sub.on('message', (channel, message: string) => {
    if (channel !== CHANNEL) return;
    try {
      onChange(JSON.parse(message) as AdminChange);
    } catch (err) {
      onError(err as Error);
    }
  });
  return {
    async publish(event) {
      await pub.publish(CHANNEL, JSON.stringify(event));
    },
    ready(ms) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
      return Promise.race([subscribed, late]).finally(() => clearTimeout(timer));
    },
    async close() {
      await Promise.all([pub.quit().catch(() => pub.disconnect()), sub.quit().catch(() => sub.disconnect())]);
    },
  };
}

/** One instance: changes are applied where they are made. */
export function createLocalBus(onChange: (change: AdminChange) => void): AdminBus {
  return {
    async publish(event) {
      onChange(event);
    },
    async ready() {
      return true;
    },
    async close() {},
  };
}
