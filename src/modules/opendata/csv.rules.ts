import { admissionTests, frenchWeekdays, modes, rhythms, type Slot } from '../../domain/vocabulary';
import type { CatalogueRow } from '../catalogue';
import { timeOfDay } from '../catalogue';
import { isMessageKey, type MessageKey, type Translator } from '../../platform/i18n';

/**
 * SVC-8: the open-data files of the catalogue, as pure rules: their columns (the dictionary the
 * files, docs/open-data.md and `datapackage.json` all read), how a catalogue row becomes a line,
 * the separator option, the dates of the snapshots and HTTP's conditional requests. No I/O.
 */

/** Table Schema's types (Frictionless), the ones these files use. */
export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime';
export type Cell = string | number | null;

export interface Column<Row> {
  /** The header of the column: ASCII, snake_case, stable (a portal's reuses depend on it). */
  name: string;
  type: ColumnType;
  /** An example value, as written in the file. */
  example: string;
  unit?: 'places' | 'heures' | 'euros';
  /** The codes a column may hold (Table Schema's `enum`). */
  values?: readonly string[];
  required?: boolean;
  cell(row: Row): Cell;
}

/** The catalogue's files: `sessions` (one line a session), `formations` (one line a course). */
export const openDataFiles = ['sessions', 'formations'] as const;
export type OpenDataFile = (typeof openDataFiles)[number];

/** What a session's applications are: its period's window (`upcoming`, `open`, `closed`), or `cancelled` by the service (SVC-2). */
export const sessionStatuses = ['upcoming', 'open', 'closed', 'cancelled'] as const;
export type SessionStatus = (typeof sessionStatuses)[number];
export const sessionStatus = (row: Pick<CatalogueRow, 'cancelled' | 'periodState'>): SessionStatus => (row.cancelled ? 'cancelled' : row.periodState);

/** Euros with a point and two decimals ("37.50"): a number any tool reads, whatever its language. */
export const euros = (cents: number): string => (cents / 100).toFixed(2);
/** A slot as the catalogue import writes it (docs/catalogue-import.md): "lundi 18:30-20:30". */
export const slotText = (slot: Slot): string => `${frenchWeekdays[slot.weekday - 1]} ${slot.startsAt.slice(0, 5)}-${slot.endsAt.slice(0, 5)}`;
const instant = (at: Date): string => at.toISOString().replace(/\.\d{3}Z$/, 'Z');
const unique = <T>(values: T[]): T[] => [...new Set(values)];

/** A course of the `formations` file: the rows of its sessions, gathered. */
export interface CourseLine {
  first: CatalogueRow;
  sessions: CatalogueRow[];
}

const sheetUrl = (baseUrl: string, courseCode: string) => `${baseUrl}/formations/${encodeURIComponent(courseCode)}`;

/** The columns of `sessions.csv`, in order. */
export function sessionColumns(baseUrl: string): Column<CatalogueRow>[] {
  return [
    { name: 'code_session', type: 'string', required: true, example: 'FLE-2-E11-LUN', cell: (r) => r.sessionCode },
    { name: 'code_formation', type: 'string', required: true, example: 'FLE-2', cell: (r) => r.courseCode },
    { name: 'intitule', type: 'string', required: true, example: 'Français langue étrangère – niveau 2', cell: (r) => r.title },
    { name: 'code_domaine', type: 'string', required: true, example: 'langue-francaise', cell: (r) => r.domainSlug },
    { name: 'domaine', type: 'string', required: true, example: 'Langue française', cell: (r) => r.domainName },
    { name: 'niveau', type: 'string', example: '2', cell: (r) => r.level },
    { name: 'code_periode', type: 'string', required: true, example: '2026-annuel', cell: (r) => r.periodCode },
    { name: 'periode', type: 'string', required: true, example: 'Cours annuels et premier semestre', cell: (r) => r.periodName },
    { name: 'code_etablissement', type: 'string', required: true, example: 'E-11-PARMENTIER', cell: (r) => r.schoolCode },
    { name: 'etablissement', type: 'string', required: true, example: 'École élémentaire Parmentier', cell: (r) => r.schoolName },
    { name: 'adresse', type: 'string', required: true, example: '12 rue Parmentier', cell: (r) => r.address },
    { name: 'code_postal', type: 'string', required: true, example: '75011', cell: (r) => r.postalCode },
    { name: 'ville', type: 'string', required: true, example: 'Paris', cell: (r) => r.city },
    { name: 'arrondissement', type: 'integer', example: '11', cell: (r) => r.arrondissement },
    { name: 'secteur', type: 'string', example: '', cell: (r) => r.area },
    { name: 'mode', type: 'string', required: true, values: modes, example: 'in_person', cell: (r) => r.mode },
    { name: 'rythme', type: 'string', required: true, values: rhythms, example: 'annual', cell: (r) => r.rhythm },
    { name: 'jours', type: 'string', example: '1 4', cell: (r) => unique(r.slots.map((s) => s.weekday)).join(' ') },
    { name: 'moments', type: 'string', example: 'evening', cell: (r) => unique(r.slots.map((s) => timeOfDay(s))).join(' ') },
    { name: 'creneaux', type: 'string', example: 'lundi 18:30-20:30; jeudi 18:30-20:30', cell: (r) => r.slots.map(slotText).join('; ') },
    { name: 'premiere_seance', type: 'date', required: true, example: '2026-10-05', cell: (r) => r.firstMeeting },
    { name: 'derniere_seance', type: 'date', required: true, example: '2027-06-24', cell: (r) => r.lastMeeting },
    { name: 'nombre_seances', type: 'integer', required: true, example: '58', cell: (r) => r.meetings.length },
    { name: 'dates_seances', type: 'string', example: '2026-10-05 2026-10-08 2026-10-12', cell: (r) => unique(r.meetings.map((m) => m.date)).join(' ') },
    { name: 'volume_horaire', type: 'integer', required: true, unit: 'heures', example: '120', cell: (r) => r.hourlyVolume },
    { name: 'capacite', type: 'integer', required: true, unit: 'places', example: '20', cell: (r) => r.capacity },
    { name: 'places_libres', type: 'integer', required: true, unit: 'places', example: '7', cell: (r) => r.freePlaces },
    { name: 'tarif_plein', type: 'number', required: true, unit: 'euros', example: '150.00', cell: (r) => euros(r.fullRateCents) },
    { name: 'tarif_reduit', type: 'number', required: true, unit: 'euros', example: '75.00', cell: (r) => euros(r.halfRateCents) },
    { name: 'candidatures_ouverture', type: 'datetime', required: true, example: '2026-06-02T07:00:00Z', cell: (r) => instant(r.applicationsOpenAt) },
    { name: 'candidatures_fermeture', type: 'datetime', required: true, example: '2026-06-30T21:59:00Z', cell: (r) => instant(r.applicationsCloseAt) },
    { name: 'statut', type: 'string', required: true, values: sessionStatuses, example: 'open', cell: sessionStatus },
    { name: 'url_fiche', type: 'string', required: true, example: 'https://cours-adultes.paris.fr/formations/FLE-2', cell: (r) => sheetUrl(baseUrl, r.courseCode) },
  ];
}

/** The columns of `formations.csv`, in order. */
export function courseColumns(baseUrl: string): Column<CourseLine>[] {
  const running = (c: CourseLine) => c.sessions.filter((s) => !s.cancelled);
  return [
    { name: 'code_formation', type: 'string', required: true, example: 'FLE-2', cell: (c) => c.first.courseCode },
    { name: 'intitule', type: 'string', required: true, example: 'Français langue étrangère – niveau 2', cell: (c) => c.first.title },
    { name: 'code_domaine', type: 'string', required: true, example: 'langue-francaise', cell: (c) => c.first.domainSlug },
    { name: 'domaine', type: 'string', required: true, example: 'Langue française', cell: (c) => c.first.domainName },
    { name: 'niveau', type: 'string', example: '2', cell: (c) => c.first.level },
    { name: 'objectifs', type: 'string', required: true, example: 'Comprendre et se faire comprendre dans les situations de la vie courante.', cell: (c) => c.first.objectives },
    { name: 'mode', type: 'string', required: true, values: modes, example: 'in_person', cell: (c) => c.first.courseMode },
    { name: 'rythme', type: 'string', required: true, values: rhythms, example: 'annual', cell: (c) => c.first.rhythm },
    { name: 'volume_horaire', type: 'integer', required: true, unit: 'heures', example: '120', cell: (c) => c.first.hourlyVolume },
    { name: 'tarif_plein', type: 'number', required: true, unit: 'euros', example: '150.00', cell: (c) => euros(c.first.fullRateCents) },
    { name: 'tarif_reduit', type: 'number', required: true, unit: 'euros', example: '75.00', cell: (c) => euros(c.first.halfRateCents) },
    { name: 'prepare_diplome', type: 'boolean', required: true, example: 'false', cell: (c) => String(c.first.preparesDiploma) },
    { name: 'evaluation_finale', type: 'boolean', required: true, example: 'true', cell: (c) => String(c.first.hasEvaluation) },
    { name: 'test_admission', type: 'string', required: true, values: admissionTests, example: 'none', cell: (c) => c.first.admissionTest },
    { name: 'periodes', type: 'string', required: true, example: '2026-annuel', cell: (c) => unique(c.sessions.map((s) => s.periodCode)).join(' ') },
    { name: 'nombre_sessions', type: 'integer', required: true, example: '3', cell: (c) => running(c).length },
    { name: 'sessions_ouvertes', type: 'integer', required: true, example: '2', cell: (c) => c.sessions.filter((s) => sessionStatus(s) === 'open').length },
    { name: 'places_libres', type: 'integer', required: true, unit: 'places', example: '12', cell: (c) => running(c).reduce((sum, s) => sum + s.freePlaces, 0) },
    { name: 'url_fiche', type: 'string', required: true, example: 'https://cours-adultes.paris.fr/formations/FLE-2', cell: (c) => sheetUrl(baseUrl, c.first.courseCode) },
  ];
}

/** The courses of a list of sessions, in the order their first session comes (the search's: title, school, code). */
export function coursesOf(rows: readonly CatalogueRow[]): CourseLine[] {
  const byCode = new Map<string, CourseLine>();
  for (const row of rows) {
    const line = byCode.get(row.courseCode);
    if (line) line.sessions.push(row);
    else byCode.set(row.courseCode, { first: row, sessions: [row] });
  }
  return [...byCode.values()];
}

/** The header line and the lines of a file. */
export function table<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): Cell[][] {
  return [columns.map((c) => c.name), ...rows.map((row) => columns.map((c) => c.cell(row)))];
}

/** The two separators of the files: `,` (the default, RFC 4180) and `;` (what a spreadsheet set to French expects). */
export const separators = [',', ';'] as const;
export type Separator = (typeof separators)[number];

/** Where a file's name says which file it is: `sessions.csv`, `formations.csv`. */
export function fileOfName(name: string): OpenDataFile | null {
  const match = /^(sessions|formations)\.csv$/.exec(name);
  return match ? (match[1] as OpenDataFile) : null;
}

/** A day as the dated addresses write it (YYYY-MM-DD), and a real one: `2026-13-45` and `2026-02-30` are not. */
export function isCalendarDay(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 2000 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The day after a day (YYYY-MM-DD). */
export function nextDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date + 1)).toISOString().slice(0, 10);
}

/** How many days of snapshots are kept: a month, then the oldest go. */
export const SNAPSHOT_DAYS_KEPT = 31;

/** The days to delete: all but the `kept` most recent (the days given in any order). */
export function daysToPrune(days: readonly string[], kept = SNAPSHOT_DAYS_KEPT): string[] {
  return [...new Set(days)].sort().reverse().slice(kept);
}


/** The file's ETag: its SHA-256, quoted (`-gzip` when sent compressed: another representation). */
export const etagOf = (sha256: string, gzip = false): string => `"${sha256.slice(0, 32)}${gzip ? '-gzip' : ''}"`;

/** Does the client take gzip (`Accept-Encoding: gzip`, not `gzip;q=0`)? */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

// ---------------------------------------------------------------------------------------------
// The dictionary for software: a Frictionless Data Package (decision 021)

/** Licence Ouverte / Open Licence 2.0, the French public sector's licence for open data (Etalab). */
export const LICENCE = { name: 'etalab-2.0', title: 'Licence Ouverte / Open Licence version 2.0', path: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' } as const;

/** The message that says what a column of a file means: the file's own when its meaning differs (`formations`' free places), else the column's. */
export function meaningKey(file: OpenDataFile, name: string): MessageKey {
  const own = `opendata.csv.col.${file}.${name}`;
  return isMessageKey(own) ? own : (`opendata.csv.col.${name}` as MessageKey);
}

/** The columns of a file. */
export function columnsOf(file: OpenDataFile, baseUrl: string): Column<never>[] {
  return (file === 'sessions' ? sessionColumns(baseUrl) : courseColumns(baseUrl)) as Column<never>[];
}

/**
 * `datapackage.json` (Frictionless Data Package v1 with a Table Schema per file): the files' latest
 * addresses, their dialect, licence, and each column's name, type, meaning (in French, the
 * reference), example, unit (`unit`, beside Table Schema's own properties), codes (`enum`).
 */
export function dataPackage(t: Translator, baseUrl: string, updated: Date | null) {
  return {
    profile: 'tabular-data-package',
    name: 'cursus-catalogue',
    title: t('opendata.csv.package.title'),
    description: t('opendata.csv.package.description'),
    homepage: `${baseUrl}/donnees-ouvertes`,
    licenses: [LICENCE],
    ...(updated ? { updated: updated.toISOString() } : {}),
    resources: openDataFiles.map((file) => ({
      profile: 'tabular-data-resource',
      name: file,
      title: t(`opendata.csv.file.${file}`),
      path: `${baseUrl}/donnees-ouvertes/${file}.csv`,
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      dialect: { delimiter: ',', header: true, doubleQuote: true, lineTerminator: '\n' },
      schema: {
        fields: columnsOf(file, baseUrl).map((c) => ({
          name: c.name,
          type: c.type,
          description: t(meaningKey(file, c.name)),
          example: c.example,
          ...(c.unit ? { unit: c.unit } : {}),
          ...(c.required || c.values ? { constraints: { ...(c.required ? { required: true } : {}), ...(c.values ? { enum: c.values } : {}) } } : {}),
        })),
        primaryKey: file === 'sessions' ? 'code_session' : 'code_formation',
      },
    })),
  };
}
