CREATE TABLE "queue_jobs" (
	"queue" text NOT NULL,
	"id" text NOT NULL,
	"seq" bigserial NOT NULL,
	"key" text NOT NULL,
	"data" jsonb,
	"state" text DEFAULT 'waiting' NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"tries" integer DEFAULT 0 NOT NULL,
	"stalls" integer DEFAULT 0 NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"failed_reason" text,
	"finished_at" timestamp with time zone,
	CONSTRAINT "queue_jobs_queue_id_pk" PRIMARY KEY("queue","id")
);
--> statement-breakpoint
CREATE TABLE "rate_limit_counts" (
	"key" text NOT NULL,
	"window" bigint NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "rate_limit_counts_key_window_pk" PRIMARY KEY("key","window")
);
--> statement-breakpoint
CREATE TABLE "web_relay_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"payload" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "queue_jobs_waiting_idx" ON "queue_jobs" USING btree ("queue","run_at","seq") WHERE state = 'waiting';--> statement-breakpoint
CREATE INDEX "queue_jobs_unfinished_idx" ON "queue_jobs" USING btree ("queue","key","seq") WHERE state in ('waiting', 'active');--> statement-breakpoint
CREATE INDEX "queue_jobs_active_idx" ON "queue_jobs" USING btree ("queue","locked_until") WHERE state = 'active';--> statement-breakpoint
CREATE INDEX "queue_jobs_finished_idx" ON "queue_jobs" USING btree ("queue","state","finished_at");--> statement-breakpoint
CREATE INDEX "rate_limit_counts_window_idx" ON "rate_limit_counts" USING btree ("window");--> statement-breakpoint
CREATE INDEX "web_relay_events_created_idx" ON "web_relay_events" USING btree ("created_at");