/**
 * Who the gateway is to Bedrock, and where. Credentials as AWS's SDKs read them: the entry's
 * own (`access_key_id`, `secret_access_key`, `session_token`), else the standard variables
 * `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`. A Bedrock API key (the
 * entry's `api_key`, else `AWS_BEARER_TOKEN_BEDROCK`) is sent as a bearer token instead of a
 * signature and wins when set. Region: the entry's `region`, else `AWS_REGION`, else
 * `AWS_DEFAULT_REGION`. `env` is passed in so this stays a pure function.
 */
import type { ProviderConfig } from '../adapter.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type BedrockAuth = { kind: 'bearer'; token: string } | { kind: 'sigv4'; credentials: AwsCredentials };

type Env = Readonly<Record<string, string | undefined>>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The entry's `region`, else the environment's, else undefined (the catalog's price region too). */
export function configuredRegion(options: Readonly<Record<string, unknown>>, env: Env): string | undefined {
  return str(options.region) ?? str(env.AWS_REGION) ?? str(env.AWS_DEFAULT_REGION);
}

export function bedrockRegion(cfg: ProviderConfig, env: Env): string {
  const region = configuredRegion(cfg.options, env);
  if (!region) throw new Error(`${cfg.name}: no AWS region (set "region" on the provider, or AWS_REGION)`);
  return region;
}

export function bedrockAuth(cfg: ProviderConfig, env: Env): BedrockAuth {
  const token = cfg.apiKey ?? str(env.AWS_BEARER_TOKEN_BEDROCK);
  if (token) return { kind: 'bearer', token };
  // Both halves from the same place: a key id from config with a secret from the environment would be a mix-up.
  const fromConfig = str(cfg.options.access_key_id) !== undefined;
  const src = fromConfig
    ? { id: cfg.options.access_key_id, secret: cfg.options.secret_access_key, session: cfg.options.session_token }
    : { id: env.AWS_ACCESS_KEY_ID, secret: env.AWS_SECRET_ACCESS_KEY, session: env.AWS_SESSION_TOKEN };
  const accessKeyId = str(src.id);
  const secretAccessKey = str(src.secret);
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(
      `${cfg.name}: no AWS credentials (set "access_key_id" and "secret_access_key" on the provider, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a Bedrock API key)`,
    );
  }
  const sessionToken = str(src.session);
  return { kind: 'sigv4', credentials: { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) } };
}
