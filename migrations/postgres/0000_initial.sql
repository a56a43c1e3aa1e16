CREATE TABLE "alert_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"time" bigint NOT NULL,
	"scope" text NOT NULL,
	"scope_id" text NOT NULL,
	"kind" text NOT NULL,
	"payload" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"allowed_models" text,
	"limits" text,
	"expires_at" bigint,
	"revoked_at" bigint,
	"created_at" bigint NOT NULL,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"time" bigint NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"detail" text
);
--> statement-breakpoint
CREATE TABLE "prompt_versions" (
	"name" text NOT NULL,
	"version" text NOT NULL,
	"source" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "prompt_versions_name_version_pk" PRIMARY KEY("name","version")
);
--> statement-breakpoint
CREATE TABLE "request_logs" (
	"request_id" text PRIMARY KEY NOT NULL,
	"time" bigint NOT NULL,
	"team_id" text,
	"key_id" text,
	"kind" text NOT NULL,
	"model" text,
	"status" integer NOT NULL,
	"request_body" text,
	"request_truncated" boolean NOT NULL,
	"response_body" text,
	"response_truncated" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"limits" text,
	"created_at" bigint NOT NULL,
	"request_logs" boolean DEFAULT false NOT NULL,
	CONSTRAINT "teams_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "ui_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"key_id" text,
	"team_id" text,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"revoked_at" bigint
);
--> statement-breakpoint
CREATE TABLE "usage_records" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "usage_records_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"request_id" text NOT NULL,
	"time" bigint NOT NULL,
	"team_id" text,
	"key_id" text,
	"kind" text NOT NULL,
	"provider" text,
	"model" text,
	"requested_model" text,
	"prompt_name" text,
	"prompt_version" text,
	"route" text,
	"input_tokens" integer NOT NULL,
	"output_tokens" integer NOT NULL,
	"cached_tokens" integer NOT NULL,
	"cache_write_tokens" integer NOT NULL,
	"reasoning_tokens" integer NOT NULL,
	"cost_nanos" bigint NOT NULL,
	"estimated" boolean NOT NULL,
	"latency_ms" integer NOT NULL,
	"status" integer NOT NULL,
	"attempts" integer NOT NULL,
	"cached" boolean,
	"bytes_in" bigint,
	"bytes_out" bigint,
	"tags" text
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_team_idx" ON "api_keys" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "request_logs_team_time_idx" ON "request_logs" USING btree ("team_id","time");--> statement-breakpoint
CREATE INDEX "request_logs_time_idx" ON "request_logs" USING btree ("time");--> statement-breakpoint
CREATE INDEX "ui_sessions_expires_idx" ON "ui_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "usage_team_time_idx" ON "usage_records" USING btree ("team_id","time");--> statement-breakpoint
CREATE INDEX "usage_time_idx" ON "usage_records" USING btree ("time");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_request_id_idx" ON "usage_records" USING btree ("request_id");