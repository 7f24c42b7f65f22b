CREATE TABLE "document_signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"sealed_private_key" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"subject_id" text NOT NULL,
	"holder_name" text NOT NULL,
	"title" text NOT NULL,
	"issuer_name" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"valid_from" date,
	"valid_until" date,
	"status" text DEFAULT 'valid' NOT NULL,
	"status_changed_at" timestamp with time zone,
	"revoked_reason" text,
	"replaced_by" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"scope_session_id" integer,
	"staff_path" text,
	"key_id" text NOT NULL,
	"signature" text NOT NULL,
	CONSTRAINT "documents_texts" CHECK (char_length("documents"."holder_name") between 1 and 300 and char_length("documents"."title") between 1 and 300 and char_length("documents"."issuer_name") between 1 and 300),
	CONSTRAINT "documents_validity" CHECK ("documents"."valid_from" is null or "documents"."valid_until" is null or "documents"."valid_until" >= "documents"."valid_from"),
	CONSTRAINT "documents_reason" CHECK ("documents"."revoked_reason" is null or char_length("documents"."revoked_reason") between 1 and 500)
);
--> statement-breakpoint
CREATE TABLE "payment_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"payment_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"id_op" text,
	"amount_cents" integer NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"redirect_url" text,
	"link_id" uuid,
	"payer_email" text NOT NULL,
	"payer_name" text,
	"result" jsonb,
	"last_error" text,
	"checked_at" timestamp with time zone,
	"flag" text,
	"flagged_at" timestamp with time zone,
	"flag_cleared_by" uuid,
	"flag_cleared_at" timestamp with time zone,
	"flag_note" text,
	CONSTRAINT "payment_attempts_id_op_unique" UNIQUE("id_op")
);
--> statement-breakpoint
CREATE TABLE "payment_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"payment_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "payment_links_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"learner_id" uuid NOT NULL,
	"session_id" integer NOT NULL,
	"school_id" integer NOT NULL,
	"reference" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"rate" text NOT NULL,
	"due_on" date NOT NULL,
	"status" text DEFAULT 'due' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"validated_by" uuid,
	"reminded_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"method" text,
	"payer_name" text,
	"cheque_number" text,
	"cheque_bank" text,
	"cash_tendered_cents" integer,
	"recorded_by" uuid,
	"attempt_id" uuid,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "payments_reference_unique" UNIQUE("reference"),
	CONSTRAINT "payments_amount" CHECK ("payments"."amount_cents" >= 0 and "payments"."amount_cents" <= 10000000),
	CONSTRAINT "payments_paid" CHECK ("payments"."status" <> 'paid' or ("payments"."paid_at" is not null and "payments"."method" is not null)),
	CONSTRAINT "payments_reference" CHECK ("payments"."reference" ~ '^[A-Z0-9]{1,30}$')
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"payment_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"event_on" date NOT NULL,
	"explanation" text NOT NULL,
	"proof_file_id" uuid,
	"requested_at" timestamp with time zone NOT NULL,
	"requested_by" uuid NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"amount_cents" integer,
	"refunded_on" date,
	"method" text,
	"refund_reference" text,
	CONSTRAINT "refunds_explanation" CHECK (char_length("refunds"."explanation") between 1 and 2000),
	CONSTRAINT "refunds_granted" CHECK ("refunds"."status" <> 'granted' or ("refunds"."amount_cents" is not null and "refunds"."refunded_on" is not null and "refunds"."method" is not null))
);
--> statement-breakpoint
CREATE TABLE "statement_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"filename" text NOT NULL,
	"imported_by" uuid NOT NULL,
	"imported_at" timestamp with time zone NOT NULL,
	"line_count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "statement_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"import_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"reference" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"paid_on" date NOT NULL,
	"transaction_id" text,
	"state" text NOT NULL,
	"payment_id" uuid,
	"discarded_by" uuid,
	"note" text,
	"confirmed" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_scope_session_id_course_sessions_id_fk" FOREIGN KEY ("scope_session_id") REFERENCES "public"."course_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_key_id_document_signing_keys_kid_fk" FOREIGN KEY ("key_id") REFERENCES "public"."document_signing_keys"("kid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_attempts" ADD CONSTRAINT "payment_attempts_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_links" ADD CONSTRAINT "payment_links_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_import_id_statement_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."statement_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "document_signing_keys_one_active" ON "document_signing_keys" USING btree ("active") WHERE active;--> statement-breakpoint
CREATE UNIQUE INDEX "documents_code" ON "documents" USING btree ("code");--> statement-breakpoint
CREATE INDEX "documents_subject_idx" ON "documents" USING btree ("kind","subject_id","issued_at");--> statement-breakpoint
CREATE INDEX "payment_attempts_payment_idx" ON "payment_attempts" USING btree ("payment_id","created_at");--> statement-breakpoint
CREATE INDEX "payment_attempts_pending_idx" ON "payment_attempts" USING btree ("created_at") WHERE status in ('creating', 'pending');--> statement-breakpoint
CREATE INDEX "payment_attempts_flag_idx" ON "payment_attempts" USING btree ("flagged_at") WHERE flag is not null and flag_cleared_at is null;--> statement-breakpoint
CREATE INDEX "payment_links_payment_idx" ON "payment_links" USING btree ("payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_live_per_application" ON "payments" USING btree ("application_id") WHERE status <> 'cancelled';--> statement-breakpoint
CREATE INDEX "payments_session_idx" ON "payments" USING btree ("session_id","status");--> statement-breakpoint
CREATE INDEX "payments_school_paid_idx" ON "payments" USING btree ("school_id","paid_at");--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_one_open_per_payment" ON "refunds" USING btree ("payment_id") WHERE status <> 'refused';--> statement-breakpoint
CREATE INDEX "statement_lines_import_idx" ON "statement_lines" USING btree ("import_id","line_no");--> statement-breakpoint
CREATE INDEX "statement_lines_payment_idx" ON "statement_lines" USING btree ("payment_id");