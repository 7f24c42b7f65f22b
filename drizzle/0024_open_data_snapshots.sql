CREATE TABLE "open_data_snapshots" (
	"id" serial PRIMARY KEY NOT NULL,
	"day" date NOT NULL,
	"file" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"rows" integer NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"gzip" "bytea" NOT NULL,
	CONSTRAINT "open_data_snapshots_sha256" CHECK ("open_data_snapshots"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "open_data_snapshots_size" CHECK ("open_data_snapshots"."size" > 0 and "open_data_snapshots"."rows" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "open_data_snapshots_day_file" ON "open_data_snapshots" USING btree ("day","file");