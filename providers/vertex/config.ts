/**
 * A Vertex entry's options completed once, when the provider is built from config (the
 * registry's `resolveOptions`): project and location from the entry, else the variables Google's
 * SDKs read; the service-account key read (from the entry, a file it names, or the file
 * GOOGLE_APPLICATION_CREDENTIALS names) and checked here, so a bad key stops start-up with the
 * reason instead of failing every request, and the adapter stays pure (it never reads files).
 * The private key and a ready access token are secret options: scrubbed from upstream text and
 * logs (in JSON-escaped form too, as a PEM appears inside JSON). The rest of the key (email, project, token_uri)
 * is not secret.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

type Env = Readonly<Record<string, string | undefined>>;

/** Google's token endpoint, for a key without `token_uri`. */
export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';
const DEFAULT_LOCATION = 'us-central1';
const SEGMENT = /^[a-z0-9.:-]{1,64}$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function resolveVertexOptions(options: Readonly<Record<string, unknown>>, env: Env): Record<string, unknown> {
  const out: Record<string, unknown> = { ...options };
  const accessToken = str(options.access_token);
  let keyText = str(options.service_account);
  if (!accessToken && !keyText) {
    const file = str(options.service_account_file) ?? str(env.GOOGLE_APPLICATION_CREDENTIALS);
    if (!file) throw new Error('no credentials: set "service_account" (the JSON key), "service_account_file", "access_token", or GOOGLE_APPLICATION_CREDENTIALS');
    try {
      keyText = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read the service-account key file ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    out.service_account = keyText;
  }
  let keyProject: string | undefined;
  if (!accessToken && keyText) {
    const key = parseServiceAccountKey(keyText);
    Object.assign(out, {
      client_email: key.client_email,
      private_key: key.private_key,
      signing_key: key.signingKey,
      token_uri: key.token_uri,
      private_key_id: key.private_key_id,
    });
    keyProject = key.project_id;
  }
  const project = str(options.project) ?? str(env.GOOGLE_CLOUD_PROJECT) ?? keyProject;
  if (!project) throw new Error('no project: set "project", or GOOGLE_CLOUD_PROJECT');
  const location = str(options.location) ?? str(env.GOOGLE_CLOUD_LOCATION) ?? DEFAULT_LOCATION;
  // Both go into the URL path: the variables get the schema's check too.
  if (!SEGMENT.test(project)) throw new Error(`project ${JSON.stringify(project)} is not a Google Cloud project id`);
  if (!SEGMENT.test(location) || location.includes(':')) throw new Error(`location ${JSON.stringify(location)} is not a Vertex location`);
  out.project = project;
  out.location = location;
  return out;
}

interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  token_uri: string;
  private_key_id?: string;
  project_id?: string;
  /** The private key parsed once, for signing (../vertex/token.ts). */
  signingKey: KeyObject;
}

/** The fields of a service-account JSON key the gateway uses; the error never quotes the key. */
export function parseServiceAccountKey(text: string): ServiceAccountKey {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error('the service-account key is not valid JSON');
  }
  if (json === null || typeof json !== 'object' || json.type !== 'service_account') throw new Error('the service-account key is not a JSON key of type "service_account"');
  const email = str(json.client_email);
  const pem = str(json.private_key);
  if (!email || !pem?.includes('PRIVATE KEY')) throw new Error('the service-account key has no client_email or private_key');
  const tokenUri = str(json.token_uri) ?? GOOGLE_TOKEN_URI;
  if (!/^https?:\/\//.test(tokenUri)) throw new Error('the service-account key\'s token_uri is not an http(s) URL');
  let signingKey: KeyObject;
  try {
    signingKey = createPrivateKey(pem);
  } catch {
    throw new Error('the service-account key\'s private_key is not a readable PEM private key');
  }
  if (signingKey.asymmetricKeyType !== 'rsa') throw new Error('the service-account key\'s private_key is not an RSA key (RS256 needs one)');
  return {
    client_email: email,
    private_key: pem,
    signingKey,
    token_uri: tokenUri,
    ...(str(json.private_key_id) && { private_key_id: str(json.private_key_id)! }),
    ...(str(json.project_id) && { project_id: str(json.project_id)! }),
  };
}
