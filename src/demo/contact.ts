import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database';
import { findUserByEmail } from '../modules/accounts';
import { answerMessage, learnerMessages, sendMessage } from '../modules/contact';
import { applicationIdsOf } from '../modules/applications';
import type { Clock } from '../platform/clock';

/**
 * SVC-1's demo: the demo learner has written twice to the service: a general question the
 * central service (the demo coordinator) answered, and a request for the marks of one of their
 * courses, waiting in its school's queue. Once: nothing when the learner already has messages.
 */
export async function seedContactDemo(db: Db, clock: Clock, options: { learnerEmail: string; baseUrl: string }): Promise<{ answered: string; waiting: string | null } | null> {
  const learner = await findUserByEmail(db, options.learnerEmail);
  const coordinator = await findUserByEmail(db, 'coordination@demo.cursus.fr');
  if (!learner || !coordinator || (await learnerMessages(db, learner.id)).length) return null;
  const deps = { db, clock, baseUrl: options.baseUrl };
  const question = await sendMessage(deps, learner.id, {
    subject: 'other',
    applicationId: null,
    text: 'Bonjour, je voudrais savoir si je peux suivre deux cours la même année.',
    formToken: randomUUID(),
  });
  if (!question.ok) return null;
  await answerMessage(deps, { id: coordinator.id, role: 'coordinator' }, question.message.id, {
    text: 'Bonjour, oui : vous pouvez vous inscrire à plusieurs cours, à des horaires différents. Chaque cours se paie à part.',
    formToken: randomUUID(),
    close: false,
  });
  const [applicationId] = await applicationIdsOf(db, learner.id);
  const marks = applicationId
    ? await sendMessage(deps, learner.id, { subject: 'marks', applicationId, text: 'Bonjour, pouvez-vous me communiquer mes notes du test d’évaluation ?', formToken: randomUUID() })
    : null;
  return { answered: question.message.reference, waiting: marks?.ok ? marks.message.reference : null };
}
