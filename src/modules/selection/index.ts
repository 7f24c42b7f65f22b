/**
 * The selection module's facade: what other modules and the composition root may call. Loading
 * it wires the module in: it answers the catalogue's and the applications' questions (places
 * held, what the learner's page shows) and hears `placeReleased` (refills the waiting lists).
 */
import './learner-view';
import './places';
import './selection.messages'; // registers the module's messages
import './draw.messages';
import './responder.messages';
import './waiting-list.service';

export { freePlacesOf, placesHeld, placesOf } from './places';
export { convocationsOf } from './learner-view';
export { openChangeRequests } from './applicants.service';
export { cancelConvocation } from './easy-read.service';
export { previousLevels, repeatsUsedUp, type PreviousLevelFacts } from './prerequisites';
export { selectionRoutes } from './selection.routes';
export { endOffersOfCancelledSession, waitingListJobs, placeFreed, refillSession, REFILL_JOB } from './waiting-list.service';
export { selectionDataSets } from './selection.personal';
export { commitDueDraws, commitDrawsAsTheJobWould, drawCommitTask, drawJobs, COMMIT_DRAWS_JOB } from './draw.service';
export { offerFigures, type OfferFigures } from './figures';
