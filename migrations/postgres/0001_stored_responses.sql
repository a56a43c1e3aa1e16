CREATE TABLE "stored_responses" (
	"id" text NOT NULL,
	"team_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"model" text NOT NULL,
	"input_items" text NOT NULL,
	"instructions" text,
	"output_items" text NOT NULL,
	"response" text NOT NULL,
	CONSTRAINT "stored_responses_team_id_id_pk" PRIMARY KEY("team_id","id")
);
--> statement-breakpoint
CREATE INDEX "stored_responses_created_idx" ON "stored_responses" USING btree ("created_at");