import { registerMessages } from '../../platform/i18n';

/**
 * The attendance module's own messages, shared by its parts (registers, absences, calendars): the
 * names of the marks of a register (ATT-1). Each part has its own file (`<part>.messages.ts`,
 * registered as `attendance.<part>`). French is the reference.
 */
const fr = {
  'att.mark.present': 'Présent·e',
  'att.mark.late': 'En retard',
  'att.mark.left_early': 'Parti·e avant la fin',
  'att.mark.absent': 'Absent·e',
  'att.mark.justified': 'Absence justifiée',
};

const en: typeof fr = {
  'att.mark.present': 'Present',
  'att.mark.late': 'Late',
  'att.mark.left_early': 'Left early',
  'att.mark.absent': 'Absent',
  'att.mark.justified': 'Justified absence',
};

type AttendanceModuleMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends AttendanceModuleMessages {}
}

registerMessages('attendance', { fr, en });
