import { bigint, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/** Responses API answers kept per team and response id (previous_response_id, GET /v1/responses/{id}); deleted after retention. */
export const storedResponses = pgTable(
  'stored_responses',
  {
    id: text('id').notNull(),
    /** '' for callers without a team (an open gateway). */
    teamId: text('team_id').notNull(),
    /** Unix ms when kept. */
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    model: text('model').notNull(),
    inputItems: text('input_items').notNull(),
    instructions: text('instructions'),
    outputItems: text('output_items').notNull(),
    response: text('response').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.id] }), index('stored_responses_created_idx').on(t.createdAt)],
);
