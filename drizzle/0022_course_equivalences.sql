CREATE TABLE "course_equivalences" (
	"id" serial PRIMARY KEY NOT NULL,
	"course_id" integer NOT NULL,
	"equivalent_course_id" integer NOT NULL,
	"declared_by" uuid,
	"declared_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "course_equivalences_ordered" CHECK ("course_equivalences"."course_id" < "course_equivalences"."equivalent_course_id")
);
--> statement-breakpoint
ALTER TABLE "course_equivalences" ADD CONSTRAINT "course_equivalences_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_equivalences" ADD CONSTRAINT "course_equivalences_equivalent_course_id_courses_id_fk" FOREIGN KEY ("equivalent_course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "course_equivalences_pair" ON "course_equivalences" USING btree ("course_id","equivalent_course_id");--> statement-breakpoint
CREATE INDEX "course_equivalences_equivalent_idx" ON "course_equivalences" USING btree ("equivalent_course_id");