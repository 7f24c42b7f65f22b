CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"version" text NOT NULL,
	"given_at" timestamp with time zone NOT NULL,
	"given_how" text NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_how" text
);
--> statement-breakpoint
CREATE TABLE "sign_ins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"provider" text,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "identity_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" text NOT NULL,
	"subject" text NOT NULL,
	"user_id" uuid NOT NULL,
	"prefill" jsonb,
	"linked_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oidc_logins" (
	"id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"browser_hash" text NOT NULL,
	"stage" text DEFAULT 'started' NOT NULL,
	"purpose" text DEFAULT 'login' NOT NULL,
	"user_id" uuid,
	"state" text,
	"nonce" text,
	"code_verifier" text,
	"return_to" text,
	"subject" text,
	"claims" jsonb,
	"id_token" text,
	"email_token_hash" text,
	"email_user_id" uuid,
	"email" text,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "legacy_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"import_id" bigint NOT NULL,
	"email" text NOT NULL,
	"password_scheme" text,
	"password_hash" text,
	"civility" text,
	"last_name" text NOT NULL,
	"birth_name" text,
	"first_name" text NOT NULL,
	"birth_date" date,
	"birth_country" text,
	"address" text,
	"address_complement_1" text,
	"address_complement_2" text,
	"postal_code" text,
	"city" text,
	"mobile_phone" text,
	"landline_phone" text,
	"heard_from" text,
	"created_on" date,
	"imported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "legacy_accounts_email_lower" CHECK ("legacy_accounts"."email" = lower("legacy_accounts"."email")),
	CONSTRAINT "legacy_accounts_hash_with_scheme" CHECK (("legacy_accounts"."password_scheme" is null) = ("legacy_accounts"."password_hash" is null))
);
--> statement-breakpoint
CREATE TABLE "legacy_enrolments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"legacy_account_id" uuid NOT NULL,
	"course_id" integer NOT NULL,
	"school" text NOT NULL,
	"period" text NOT NULL,
	"started_on" date NOT NULL,
	"ended_on" date NOT NULL,
	"attendance_percent" integer,
	"attendance_certified" boolean NOT NULL,
	"outcome" text,
	"certificate_on" date,
	"certificate_number" text,
	CONSTRAINT "legacy_enrolments_percent" CHECK ("legacy_enrolments"."attendance_percent" is null or "legacy_enrolments"."attendance_percent" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "legacy_imports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"files" text NOT NULL,
	"digest" text NOT NULL,
	"accounts" integer NOT NULL,
	"enrolments" integer NOT NULL,
	"imported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "legacy_link_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"legacy_account_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "legacy_link_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"email" text NOT NULL,
	"failed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "legacy_links" (
	"legacy_account_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"method" text NOT NULL,
	"linked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "account_closures" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"closed_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "data_exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"status" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"ready_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"content" text,
	"bytes" integer,
	CONSTRAINT "data_exports_ready" CHECK (("data_exports"."status" = 'ready') = ("data_exports"."content" is not null and "data_exports"."ready_at" is not null and "data_exports"."bytes" is not null))
);
--> statement-breakpoint
CREATE TABLE "retention_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"set_name" text NOT NULL,
	"items" jsonb NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"covers_until" timestamp with time zone NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	"expired_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "retention_runs" (
	"day" date PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"report" jsonb
);
--> statement-breakpoint
ALTER TABLE "user_sessions" ADD COLUMN "identity_provider" text;--> statement-breakpoint
ALTER TABLE "user_sessions" ADD COLUMN "id_token" text;--> statement-breakpoint
ALTER TABLE "user_sessions" ADD COLUMN "reauthenticated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_sign_in_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "anonymised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_ins" ADD CONSTRAINT "sign_ins_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_links" ADD CONSTRAINT "identity_links_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oidc_logins" ADD CONSTRAINT "oidc_logins_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oidc_logins" ADD CONSTRAINT "oidc_logins_email_user_id_users_id_fk" FOREIGN KEY ("email_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legacy_accounts" ADD CONSTRAINT "legacy_accounts_import_id_legacy_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."legacy_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legacy_enrolments" ADD CONSTRAINT "legacy_enrolments_legacy_account_id_legacy_accounts_id_fk" FOREIGN KEY ("legacy_account_id") REFERENCES "public"."legacy_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legacy_enrolments" ADD CONSTRAINT "legacy_enrolments_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legacy_link_codes" ADD CONSTRAINT "legacy_link_codes_legacy_account_id_legacy_accounts_id_fk" FOREIGN KEY ("legacy_account_id") REFERENCES "public"."legacy_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legacy_link_codes" ADD CONSTRAINT "legacy_link_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legacy_link_failures" ADD CONSTRAINT "legacy_link_failures_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legacy_links" ADD CONSTRAINT "legacy_links_legacy_account_id_legacy_accounts_id_fk" FOREIGN KEY ("legacy_account_id") REFERENCES "public"."legacy_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legacy_links" ADD CONSTRAINT "legacy_links_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_closures" ADD CONSTRAINT "account_closures_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_exports" ADD CONSTRAINT "data_exports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_notices" ADD CONSTRAINT "retention_notices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "consents_live_key" ON "consents" USING btree ("user_id","kind","version") WHERE "consents"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "consents_user_idx" ON "consents" USING btree ("user_id","given_at");--> statement-breakpoint
CREATE INDEX "sign_ins_user_idx" ON "sign_ins" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "sign_ins_at_idx" ON "sign_ins" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "identity_links_provider_subject_key" ON "identity_links" USING btree ("provider","subject");--> statement-breakpoint
CREATE INDEX "identity_links_user_idx" ON "identity_links" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "oidc_logins_expires_idx" ON "oidc_logins" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "oidc_logins_email_token_key" ON "oidc_logins" USING btree ("email_token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "legacy_accounts_email_key" ON "legacy_accounts" USING btree ("email");--> statement-breakpoint
CREATE INDEX "legacy_enrolments_account_idx" ON "legacy_enrolments" USING btree ("legacy_account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "legacy_imports_digest_key" ON "legacy_imports" USING btree ("digest");--> statement-breakpoint
CREATE INDEX "legacy_link_codes_user_idx" ON "legacy_link_codes" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "legacy_link_failures_email_idx" ON "legacy_link_failures" USING btree ("email","failed_at");--> statement-breakpoint
CREATE INDEX "legacy_link_failures_user_idx" ON "legacy_link_failures" USING btree ("user_id","failed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "legacy_links_user_key" ON "legacy_links" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "data_exports_user" ON "data_exports" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "data_exports_expiry" ON "data_exports" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "retention_notices_open" ON "retention_notices" USING btree ("user_id","set_name") WHERE expired_at is null and cancelled_at is null;--> statement-breakpoint
CREATE INDEX "retention_notices_checked_idx" ON "retention_notices" USING btree ("checked_at") WHERE expired_at is null and cancelled_at is null;--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id","at");--> statement-breakpoint
CREATE INDEX "outbox_to_idx" ON "outbox" USING btree ("to_address");--> statement-breakpoint
CREATE INDEX "sms_outbox_to_idx" ON "sms_outbox" USING btree ("to_number");