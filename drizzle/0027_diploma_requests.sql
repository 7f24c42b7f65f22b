CREATE TABLE "diploma_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"learner_id" uuid NOT NULL,
	"programme_id" integer NOT NULL,
	"kind" text NOT NULL,
	"original_id" uuid,
	"reason" text,
	"proof_file_id" uuid,
	"credits_earned" smallint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"document_id" uuid,
	CONSTRAINT "diploma_requests_kind" CHECK (("diploma_requests"."kind" = 'original' and "diploma_requests"."original_id" is null and "diploma_requests"."reason" is null) or ("diploma_requests"."kind" = 'duplicate' and "diploma_requests"."original_id" is not null and "diploma_requests"."reason" is not null)),
	CONSTRAINT "diploma_requests_decision" CHECK ("diploma_requests"."decision_reason" is null or char_length("diploma_requests"."decision_reason") between 1 and 500)
);
--> statement-breakpoint
ALTER TABLE "diploma_requests" ADD CONSTRAINT "diploma_requests_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diploma_requests" ADD CONSTRAINT "diploma_requests_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diploma_requests" ADD CONSTRAINT "diploma_requests_original_id_diploma_requests_id_fk" FOREIGN KEY ("original_id") REFERENCES "public"."diploma_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diploma_requests" ADD CONSTRAINT "diploma_requests_proof_file_id_stored_files_id_fk" FOREIGN KEY ("proof_file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "diploma_requests_one_original" ON "diploma_requests" USING btree ("learner_id","programme_id") WHERE kind = 'original' and status in ('pending', 'granted');--> statement-breakpoint
CREATE UNIQUE INDEX "diploma_requests_one_duplicate" ON "diploma_requests" USING btree ("learner_id","programme_id") WHERE kind = 'duplicate' and status = 'pending';--> statement-breakpoint
CREATE INDEX "diploma_requests_pending_idx" ON "diploma_requests" USING btree ("requested_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "diploma_requests_learner_idx" ON "diploma_requests" USING btree ("learner_id","programme_id");