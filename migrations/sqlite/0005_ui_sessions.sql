CREATE TABLE `ui_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`key_id` text,
	`team_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE INDEX `ui_sessions_expires_idx` ON `ui_sessions` (`expires_at`);