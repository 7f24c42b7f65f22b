import type { PersonalDataSet } from '../../platform/personal-data';

/**
 * The catalogue's data (ACC-14): nothing about a learner. Its one personal column is the name of
 * a session's trainer (a staff member, shown on the course sheet for the public task), kept with
 * the session and cleared by the catalogue's editors; the rest is the offer itself.
 */
export const catalogueDataSet: PersonalDataSet = {
  name: 'catalogue',
  tables: [
    { table: 'domains', personal: {}, other: ['id', 'slug', 'name', 'position'] },
    {
      table: 'registration_periods',
      personal: {},
      other: ['id', 'code', 'name', 'priority_opens_at', 'applications_open_at', 'applications_close_at', 'answers_from', 'answers_until', 'assisted_places_until'],
    },
    { table: 'schools', personal: {}, other: ['id', 'code', 'name', 'arrondissement', 'area', 'address', 'postal_code', 'city'] },
    {
      table: 'courses',
      personal: {},
      other: [
        'id',
        'code',
        'title',
        'title_folded',
        'domain_id',
        'objectives',
        'audience',
        'prerequisites',
        'programme',
        'level',
        'previous_course_id',
        'rhythm',
        'mode',
        'hourly_volume',
        'full_rate_cents',
        'half_rate_cents',
        'prepares_diploma',
        'has_evaluation',
        'admission_test',
        'ects_credits',
        'semester',
      ],
    },
    {
      table: 'course_sessions',
      personal: {
        trainer_name: {
          category: 'identity',
          purpose: 'privacy.purpose.trainer',
          basis: 'public_task',
          retention: { policy: 'inactiveAccountMonths', unit: 'months', from: 'privacy.from.staffDuties' },
          end: 'anonymise',
        },
      },
      other: ['id', 'code', 'course_id', 'school_id', 'period_id', 'capacity', 'first_meeting', 'last_meeting', 'runs_in_school_holidays', 'cancelled_at', 'mode'],
    },
    { table: 'session_slots', personal: {}, other: ['id', 'session_id', 'weekday', 'starts_at', 'ends_at'] },
    { table: 'holidays', personal: {}, other: ['id', 'kind', 'zone', 'name', 'starts_on', 'ends_on'] },
    // SEL-7: `declared_by` is a staff account's id (who declared the pair): nothing personal in itself.
    // Decision 024: the search document copies the offer, never the trainer's name.
    {
      table: 'session_search',
      personal: {},
      other: [
        'session_id', 'session_code', 'course_code', 'title', 'title_folded', 'objectives', 'domain_slug', 'domain_name', 'school_code', 'school_name',
        'arrondissement', 'area', 'address', 'postal_code', 'city', 'capacity', 'period_code', 'period_name', 'applications_open_at', 'applications_close_at',
        'rhythm', 'mode', 'own_mode', 'course_mode', 'first_meeting', 'last_meeting', 'runs_in_school_holidays', 'cancelled_at', 'slots', 'slot_keys',
        'level', 'hourly_volume', 'full_rate_cents', 'half_rate_cents', 'prepares_diploma', 'has_evaluation', 'admission_test',
      ],
    },
    { table: 'catalogue_versions', personal: {}, other: ['id', 'version'] },
    { table: 'course_equivalences', personal: {}, other: ['id', 'course_id', 'equivalent_course_id', 'declared_by', 'declared_at'] },
  ],
  exportOf: async () => [],
  forget: async () => {},
};
