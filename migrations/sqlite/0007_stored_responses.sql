CREATE TABLE `stored_responses` (
	`id` text NOT NULL,
	`team_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`model` text NOT NULL,
	`input_items` text NOT NULL,
	`instructions` text,
	`output_items` text NOT NULL,
	`response` text NOT NULL,
	PRIMARY KEY(`team_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `stored_responses_created_idx` ON `stored_responses` (`created_at`);