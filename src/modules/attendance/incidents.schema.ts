import { z } from 'zod';
import { catalogueCode } from '../../domain/vocabulary';
import { uuidParam } from '../../platform/routes';
import { multiline } from '../../ui/forms';

/**
 * The forms and paths of a session's attendance page (ATT-2, ATT-3, ATT-5). Messages are message
 * keys, shown next to the field; control characters are refused by `parseForm` for every form.
 */

/** `/personnel/sessions/:code/assiduite`: a session's catalogue code (anything else is the 404 page). */
export const sessionParams = z.object({ code: z.string().regex(catalogueCode) });
/** `/personnel/sessions/:code/assiduite/:id/…`: the session and one application of it. */
export const learnerParams = z.object({ code: z.string().regex(catalogueCode), id: uuidParam });

/** The flash the page shows after an action (the app's own redirects). */
export const pageQuery = z.object({ fait: z.enum(['removeForAbsences', 'excludeForAbsences', 'releaseAbsent', 'excludeForConduct']).optional() });

/** ATT-3: the longest reason for an exclusion for conduct. */
export const CONDUCT_REASON_MAX = 500;

/** ATT-3: the school head's reason for an exclusion for conduct, sent to the learner. */
export const conductSchema = z.object({
  reason: multiline(z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(CONDUCT_REASON_MAX, 'field.tooLong')),
});
