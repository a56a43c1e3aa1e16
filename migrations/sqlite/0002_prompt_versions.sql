CREATE TABLE `prompt_versions` (
	`name` text NOT NULL,
	`version` text NOT NULL,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`name`, `version`)
);
