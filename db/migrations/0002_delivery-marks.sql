CREATE TABLE "delivery_marks" (
	"job_id" text PRIMARY KEY NOT NULL,
	"delivered_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "delivery_marks_delivered_idx" ON "delivery_marks" USING btree ("delivered_at");