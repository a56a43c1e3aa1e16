CREATE TABLE "usage_daily" (
	"time" bigint NOT NULL,
	"team_id" text,
	"key_id" text,
	"model" text,
	"provider" text,
	"requests" bigint NOT NULL,
	"errors" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cached_tokens" bigint NOT NULL,
	"cache_write_tokens" bigint NOT NULL,
	"reasoning_tokens" bigint NOT NULL,
	"cost_nanos" bigint NOT NULL,
	CONSTRAINT "usage_daily_key" UNIQUE NULLS NOT DISTINCT("time","team_id","key_id","model","provider")
);
--> statement-breakpoint
CREATE INDEX "usage_daily_team_time_idx" ON "usage_daily" USING btree ("team_id","time");