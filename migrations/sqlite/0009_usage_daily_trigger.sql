-- The daily roll-up is kept by this trigger: each usage row inserted adds itself to its day's row
-- (created first when missing), in the insert's transaction. A row ignored as a duplicate request id
-- (INSERT OR IGNORE / ON CONFLICT DO NOTHING) fires nothing. Rows are found with IS: a null team,
-- key, model or provider is a group of its own.
CREATE TRIGGER `usage_daily_add` AFTER INSERT ON `usage_records` BEGIN
  INSERT INTO `usage_daily` (`time`, `team_id`, `key_id`, `model`, `provider`, `requests`, `errors`, `input_tokens`, `output_tokens`, `cached_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_nanos`)
  SELECT NEW.`time` - NEW.`time` % 86400000, NEW.`team_id`, NEW.`key_id`, NEW.`model`, NEW.`provider`, 0, 0, 0, 0, 0, 0, 0, 0
  WHERE NOT EXISTS (
    SELECT 1 FROM `usage_daily` WHERE `time` = NEW.`time` - NEW.`time` % 86400000 AND `team_id` IS NEW.`team_id` AND `key_id` IS NEW.`key_id` AND `model` IS NEW.`model` AND `provider` IS NEW.`provider`
  );
  UPDATE `usage_daily` SET
    `requests` = `requests` + 1,
    `errors` = `errors` + (NEW.`status` >= 400),
    `input_tokens` = `input_tokens` + NEW.`input_tokens`,
    `output_tokens` = `output_tokens` + NEW.`output_tokens`,
    `cached_tokens` = `cached_tokens` + NEW.`cached_tokens`,
    `cache_write_tokens` = `cache_write_tokens` + NEW.`cache_write_tokens`,
    `reasoning_tokens` = `reasoning_tokens` + NEW.`reasoning_tokens`,
    `cost_nanos` = `cost_nanos` + NEW.`cost_nanos`
  WHERE `time` = NEW.`time` - NEW.`time` % 86400000 AND `team_id` IS NEW.`team_id` AND `key_id` IS NEW.`key_id` AND `model` IS NEW.`model` AND `provider` IS NEW.`provider`;
END;
--> statement-breakpoint
-- The rows already in the ledger.
INSERT INTO `usage_daily` (`time`, `team_id`, `key_id`, `model`, `provider`, `requests`, `errors`, `input_tokens`, `output_tokens`, `cached_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_nanos`)
SELECT `time` - `time` % 86400000, `team_id`, `key_id`, `model`, `provider`, count(*), sum(`status` >= 400), sum(`input_tokens`), sum(`output_tokens`), sum(`cached_tokens`), sum(`cache_write_tokens`), sum(`reasoning_tokens`), sum(`cost_nanos`)
FROM `usage_records` GROUP BY 1, 2, 3, 4, 5;
