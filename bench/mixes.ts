import { slugOf } from '../src/modules/catalogue/catalogue.import';
import { seededRandom } from './lib';

/**
 * Issue 19 (point 6): a varied mix of searches, as a rush of people searching many different
 * things makes them: `count` different combinations of keywords and filters drawn at random
 * (deterministically) from the seeded catalogue's own words and codes. `api` writes them as the
 * public API's parameters, else as the search page's.
 */
export function searchMix(count: number, style: 'page' | 'api'): string[] {
  const random = seededRandom(19);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const words = ['anglais', 'français', 'excel', 'cuisine', 'python', 'espagnol', 'comptabilite', 'ebenisterie', 'dessin', 'niveau 2', 'web', 'paie', 'jardinage', 'secours', 'allemand', 'italien', 'photo', 'reseaux', 'couture', 'maths'];
  const domains = ['Langue française', 'Langues étrangères', 'Bureautique et internet', 'Artisanat et métiers d’art', 'Entreprise', 'Enseignement général', 'Arts appliqués et design'].map(slugOf);
  const periods = ['annuel-s1', 's2', 'automne-intensif'];
  const rhythms = ['annual', 'semester1', 'semester2', 'intensive'];
  const times = ['morning', 'afternoon', 'evening', 'day'];
  const page = style === 'page';
  const filters: (() => [string, string])[] = [
    () => [page ? 'domaine' : 'domain', pick(domains)],
    () => [page ? 'periode' : 'period', pick(periods)],
    () => [page ? 'rythme' : 'rhythm', pick(rhythms)],
    () => [page ? 'horaire' : 'times', pick(times)],
    () => [page ? 'jour' : 'weekdays', String(1 + Math.floor(random() * 6))],
    () => ['arrondissement', String(1 + Math.floor(random() * 20))],
    () => [page ? 'ouvertes' : 'open', page ? '1' : 'true'],
  ];
  const seen = new Set<string>();
  for (let guard = 0; seen.size < count && guard < count * 50; guard++) {
    const params = new URLSearchParams();
    if (random() < 0.7) params.set('q', pick(words));
    const first = Math.floor(random() * filters.length);
    let second = Math.floor(random() * filters.length);
    if (second === first) second = (second + 1) % filters.length;
    for (const index of random() < 0.2 ? [first] : [first, second]) params.set(...filters[index]());
    if (page && random() < 0.1) params.set('page', '2');
    seen.add(params.toString());
  }
  return [...seen].map((query) => `${page ? '/recherche' : '/api/v1/sessions'}?${query}`);
}
