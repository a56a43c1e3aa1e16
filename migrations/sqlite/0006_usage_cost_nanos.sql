ALTER TABLE `usage_records` RENAME COLUMN `cost_micros` TO `cost_nanos`;--> statement-breakpoint
UPDATE `usage_records` SET `cost_nanos` = `cost_nanos` * 1000;