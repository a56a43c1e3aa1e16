import { Type } from '@sinclair/typebox';

/** `providers.<name>` fields the Bedrock adapter reads (./auth.ts). Unset: the standard AWS variables. */
export const bedrockOptions = {
  /** AWS region of the runtime endpoint and of the signature (else AWS_REGION, AWS_DEFAULT_REGION). */
  region: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' })),
  access_key_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  secret_access_key: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  session_token: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
};
