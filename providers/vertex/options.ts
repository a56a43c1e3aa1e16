import { Type } from '@sinclair/typebox';

/**
 * `providers.<name>` fields the Vertex adapter reads. Unset: the variables Google's SDKs read —
 * GOOGLE_CLOUD_PROJECT, GOOGLE_CLOUD_LOCATION, GOOGLE_APPLICATION_CREDENTIALS (./config.ts).
 */
export const vertexOptions = {
  /** Google Cloud project id (else GOOGLE_CLOUD_PROJECT, else the service-account key's project_id). */
  project: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9.:-]+$' })),
  /** Vertex region, e.g. `us-central1`, `europe-west4`, or `global` (else GOOGLE_CLOUD_LOCATION, else us-central1). */
  location: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' })),
  /** A service-account JSON key's content (e.g. `"${VERTEX_SERVICE_ACCOUNT_JSON}"`). */
  service_account: Type.Optional(Type.String({ minLength: 2, maxLength: 32_768 })),
  /** Path of a service-account JSON key file (else GOOGLE_APPLICATION_CREDENTIALS). */
  service_account_file: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  /** A ready OAuth2 access token (`gcloud auth print-access-token`); used as is, never refreshed. */
  access_token: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
};
