import type { Tx } from '../../db/database';
import { createHook } from '../../platform/hooks';

/**
 * ATT-1 → ATT-2, ATT-5: a meeting's register was saved (new entries written), in the saving
 * transaction. The incidents part of the module hears it to follow the streaks of the learners
 * whose marks changed; the certification module may hear it to recompute a closed course.
 */
export const registerSaved = createHook<{ meetingId: number; sessionId: number; applicationIds: string[]; actorId: string; at: Date }, Tx>();
