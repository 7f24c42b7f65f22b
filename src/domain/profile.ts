/**
 * The institution's profile (issue 18, CRED-1, CRED-2): which kind of institution this Cursus
 * serves. `municipal`: the city's adult courses, applications in registration periods and a
 * selection (SPEC §1–7). `credits`: a continuing-education centre (seed 004, the Cnam FAQ),
 * teaching units worth ECTS credits toward programmes, two semesters, enrolment all year.
 *
 * One setting (`CURSUS_PROFILE`, read by src/config.ts into `config.profile`); modules read it
 * from their deps (`deps.config.profile`, the page context's `ctx.profile`), never decide it again.
 */
export const profiles = ['municipal', 'credits'] as const;
export type Profile = (typeof profiles)[number];
export const defaultProfile: Profile = 'municipal';

export function isProfile(value: unknown): value is Profile {
  return typeof value === 'string' && (profiles as readonly string[]).includes(value);
}
