CREATE TABLE `usage_daily` (
	`time` integer NOT NULL,
	`team_id` text,
	`key_id` text,
	`model` text,
	`provider` text,
	`requests` integer NOT NULL,
	`errors` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cached_tokens` integer NOT NULL,
	`cache_write_tokens` integer NOT NULL,
	`reasoning_tokens` integer NOT NULL,
	`cost_nanos` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_daily_key_idx` ON `usage_daily` (`time`,`team_id`,`key_id`,`model`,`provider`);--> statement-breakpoint
CREATE INDEX `usage_daily_team_time_idx` ON `usage_daily` (`team_id`,`time`);