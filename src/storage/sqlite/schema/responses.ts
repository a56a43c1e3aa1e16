import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Responses API answers kept for `previous_response_id` and `GET /v1/responses/{id}`, one row per
 * team and response id (a team only ever reads its own); deleted after `responses.retention_days`.
 */
export const storedResponses = sqliteTable(
  'stored_responses',
  {
    id: text('id').notNull(),
    /** '' for callers without a team (an open gateway). */
    teamId: text('team_id').notNull(),
    /** Unix ms when kept. */
    createdAt: integer('created_at').notNull(),
    model: text('model').notNull(),
    /** JSON array of the input items, history first. */
    inputItems: text('input_items').notNull(),
    instructions: text('instructions'),
    /** JSON array of the output items. */
    outputItems: text('output_items').notNull(),
    /** JSON of the response object as sent. */
    response: text('response').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.id] }), index('stored_responses_created_idx').on(t.createdAt)],
);
