import { readFileSync } from 'node:fs';
import { countryCodes } from '../../platform/i18n/countries';

/**
 * ACC-13, ACC-6: what an OpenID provider says of a person (the ID token's and UserInfo's claims,
 * FranceConnect's names) → the fields of the learner record form, which the learner still checks
 * and submits. Pure: no database, no clock.
 */

/** INSEE country code (99xxx) → ISO 3166-1 alpha-2, from INSEE's Code officiel géographique (data/README.md). */
const inseeCountries: ReadonlyMap<string, string> = new Map(
  readFileSync(new URL('./data/insee-countries.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(',') as [string, string]),
);

const offered = new Set<string>(countryCodes);

/** The ISO code of an INSEE country code, when the record form offers it. */
export function countryOfInseeCode(code: unknown): string | undefined {
  if (typeof code !== 'string') return undefined;
  const value = code.trim();
  // A commune code (5 characters, not 99…): born in France.
  if (/^(\d{5}|2[AB]\d{3})$/.test(value) && !value.startsWith('99')) return 'FR';
  const iso = inseeCountries.get(value);
  return iso && offered.has(iso) ? iso : undefined;
}

/** The record form's fields the provider's claims fill (as the form shows them: the date as JJ/MM/AAAA). */
export interface RecordPrefill {
  civility?: 'M' | 'MME';
  firstName?: string;
  lastName?: string;
  birthName?: string;
  birthDate?: string;
  birthCountry?: string;
  /** The date given is the 1st of January: maybe only the year is known (FranceConnect's approximate dates). */
  birthDateToCheck?: boolean;
}

const text = (value: unknown, max = 100): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const cleaned = value.replace(/[\u0000-\u001f\u007f]/g, '').replace(/\s+/g, ' ').trim();
  return cleaned && cleaned.length <= max ? cleaned : undefined;
};

/**
 * ACC-13, ACC-6: civility from `gender` (male → M., female → Mme); first name from `given_name`
 * (all the given names, as the provider writes them); last name from `preferred_username` (the
 * usage name) when there is one and it differs from `family_name`, which is then the birth
 * name; otherwise `family_name`; the birth date from `birthdate` (YYYY-MM-DD, a `YYYY-01-01`
 * flagged to be checked; partial dates `YYYY` or `YYYY-MM`, which OpenID allows, give nothing);
 * the birth country from `birthcountry`, an INSEE code. What is missing or malformed is left
 * empty for the learner to fill.
 */
export function recordPrefillFromClaims(claims: Record<string, unknown>): RecordPrefill {
  const prefill: RecordPrefill = {};
  if (claims.gender === 'male') prefill.civility = 'M';
  else if (claims.gender === 'female') prefill.civility = 'MME';
  const given = text(claims.given_name);
  if (given) prefill.firstName = given;
  const family = text(claims.family_name);
  const usage = text(claims.preferred_username);
  if (usage && family && usage.toLocaleLowerCase('fr') !== family.toLocaleLowerCase('fr')) {
    prefill.lastName = usage;
    prefill.birthName = family;
  } else if (family ?? usage) prefill.lastName = family ?? usage;
  const date = typeof claims.birthdate === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(claims.birthdate.trim()) : null;
  if (date && validDay(Number(date[1]), Number(date[2]), Number(date[3]))) {
    prefill.birthDate = `${date[3]}/${date[2]}/${date[1]}`;
    if (date[2] === '01' && date[3] === '01') prefill.birthDateToCheck = true;
  }
  const country = countryOfInseeCode(claims.birthcountry);
  if (country) prefill.birthCountry = country;
  return prefill;
}

function validDay(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** The email a provider gives, and whether it says it verified it (`email_verified` must be exactly true). */
export function providerEmail(claims: Record<string, unknown>): { email: string; verified: boolean } | undefined {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!email || email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return undefined;
  return { email, verified: claims.email_verified === true };
}
