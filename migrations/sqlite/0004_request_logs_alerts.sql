CREATE TABLE `alert_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`time` integer NOT NULL,
	`scope` text NOT NULL,
	`scope_id` text NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE TABLE `request_logs` (
	`request_id` text PRIMARY KEY NOT NULL,
	`time` integer NOT NULL,
	`team_id` text,
	`key_id` text,
	`kind` text NOT NULL,
	`model` text,
	`status` integer NOT NULL,
	`request_body` text,
	`request_truncated` integer NOT NULL,
	`response_body` text,
	`response_truncated` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `request_logs_team_time_idx` ON `request_logs` (`team_id`,`time`);--> statement-breakpoint
CREATE INDEX `request_logs_time_idx` ON `request_logs` (`time`);--> statement-breakpoint
ALTER TABLE `teams` ADD `request_logs` integer DEFAULT false NOT NULL;