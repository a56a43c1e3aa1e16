import { Type } from '@sinclair/typebox';

/** `providers.<name>` fields of the mock: latency before the first byte, stream chunk count, delay between chunks. */
export const mockOptions = {
  latency_ms: Type.Optional(Type.Integer({ minimum: 0 })),
  chunks: Type.Optional(Type.Integer({ minimum: 1 })),
  chunk_delay_ms: Type.Optional(Type.Integer({ minimum: 0 })),
};
