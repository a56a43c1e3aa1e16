-- The daily roll-up is kept by a statement trigger: each insert statement on usage_records adds its
-- rows, grouped per day/team/key/model/provider, in one upsert in the same transaction. The
-- transition table holds only the rows actually inserted (a duplicate request id skipped by
-- ON CONFLICT DO NOTHING adds nothing). Groups are upserted in key order, so concurrent writers
-- lock the shared day rows in the same order (no deadlock).
CREATE FUNCTION usage_daily_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage_daily AS d (time, team_id, key_id, model, provider, requests, errors, input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, cost_nanos)
  SELECT n.time - n.time % 86400000, n.team_id, n.key_id, n.model, n.provider, count(*), count(*) FILTER (WHERE n.status >= 400),
    sum(n.input_tokens), sum(n.output_tokens), sum(n.cached_tokens), sum(n.cache_write_tokens), sum(n.reasoning_tokens), sum(n.cost_nanos)
  FROM usage_daily_new n
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (time, team_id, key_id, model, provider) DO UPDATE SET
    requests = d.requests + excluded.requests,
    errors = d.errors + excluded.errors,
    input_tokens = d.input_tokens + excluded.input_tokens,
    output_tokens = d.output_tokens + excluded.output_tokens,
    cached_tokens = d.cached_tokens + excluded.cached_tokens,
    cache_write_tokens = d.cache_write_tokens + excluded.cache_write_tokens,
    reasoning_tokens = d.reasoning_tokens + excluded.reasoning_tokens,
    cost_nanos = d.cost_nanos + excluded.cost_nanos;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Created before the backfill: CREATE TRIGGER locks usage_records against writes until this
-- migration commits, so every row is counted once — by the backfill or by the trigger.
CREATE TRIGGER usage_daily_add AFTER INSERT ON usage_records REFERENCING NEW TABLE AS usage_daily_new FOR EACH STATEMENT EXECUTE FUNCTION usage_daily_add();
--> statement-breakpoint
INSERT INTO usage_daily (time, team_id, key_id, model, provider, requests, errors, input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, cost_nanos)
SELECT time - time % 86400000, team_id, key_id, model, provider, count(*), count(*) FILTER (WHERE status >= 400),
  sum(input_tokens), sum(output_tokens), sum(cached_tokens), sum(cache_write_tokens), sum(reasoning_tokens), sum(cost_nanos)
FROM usage_records GROUP BY 1, 2, 3, 4, 5;
