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
ALTER TABLE "documents" ADD CONSTRAINT "documents_scope_session_id_course_sessions_id_fk" FOREIGN KEY ("scope_session_id") REFERENCES "public"."course_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_key_id_document_signing_keys_kid_fk" FOREIGN KEY ("key_id") REFERENCES "public"."document_signing_keys"("kid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "document_signing_keys_one_active" ON "document_signing_keys" USING btree ("active") WHERE active;--> statement-breakpoint
CREATE UNIQUE INDEX "documents_code" ON "documents" USING btree ("code");--> statement-breakpoint
CREATE INDEX "documents_subject_idx" ON "documents" USING btree ("kind","subject_id","issued_at");