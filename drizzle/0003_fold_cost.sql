-- unaccent() is costly per row but declared cheap, so the planner preferred scanning every title
-- to the trigram index. Declaring the wrapper's real cost (and keeping it a function call, which
-- a SET clause does: such functions are not inlined) lets the index win for keyword searches.
CREATE OR REPLACE FUNCTION cursus_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT COST 200
  SET search_path = public
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;
--> statement-breakpoint
REINDEX INDEX courses_title_trgm_idx;
