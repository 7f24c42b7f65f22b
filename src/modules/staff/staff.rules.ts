import { z } from 'zod';

/** The staff list's columns, in the order shown and exported. */
export const columns = ['session', 'course', 'school', 'period', 'slots', 'capacity', 'processing', 'accepted', 'enrolled', 'waiting', 'free'] as const;
export type Column = (typeof columns)[number];
export const sortable = ['session', 'course', 'school', 'period', 'capacity', 'processing', 'accepted', 'enrolled', 'waiting', 'free'] as const satisfies readonly Column[];
export const shows = ['all', 'free', 'waiting', 'processing'] as const;

/** The staff list's filters and order, as they live in its URL; anything unknown is dropped. */
export interface StaffListOptions {
  q: string;
  period?: string;
  show?: (typeof shows)[number];
  sort?: (typeof sortable)[number];
  dir?: 'asc' | 'desc';
}

const optionsSchema = z.object({
  q: z.string().max(200).catch(''),
  period: z.string().regex(/^[A-Za-z0-9-]{1,60}$/).optional().catch(undefined),
  show: z.enum(shows).optional().catch(undefined),
  sort: z.enum(sortable).optional().catch(undefined),
  dir: z.enum(['asc', 'desc']).optional().catch(undefined),
});

export function parseListOptions(query: unknown): StaffListOptions {
  const raw = query && typeof query === 'object' ? query : {};
  const first = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = optionsSchema.parse({ q: '', ...first });
  return { ...parsed, q: parsed.q.trim() };
}

/** The URL query of a list, with some options changed (for sort links and exports). */
export function listQuery(options: StaffListOptions, overrides: Partial<StaffListOptions> = {}): string {
  const merged = { ...options, ...overrides };
  const params = new URLSearchParams();
  for (const key of ['q', 'period', 'show', 'sort', 'dir'] as const) {
    const v = merged[key];
    if (v && !(key === 'show' && v === 'all')) params.set(key, v);
  }
  return params.toString();
}

const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });

type SortableRow = {
  code: string;
  title: string;
  schoolName: string;
  periodName: string;
  capacity: number;
  processing: number;
  accepted: number;
  enrolled: number;
  waitingList: number;
  freePlaces: number;
};

const keyOf: Record<(typeof sortable)[number], (r: SortableRow) => string | number> = {
  session: (r) => r.code,
  course: (r) => r.title,
  school: (r) => r.schoolName,
  period: (r) => r.periodName,
  capacity: (r) => r.capacity,
  processing: (r) => r.processing,
  accepted: (r) => r.accepted,
  enrolled: (r) => r.enrolled,
  waiting: (r) => r.waitingList,
  free: (r) => r.freePlaces,
};

/** Sorts by one column (French order for text), then by session code so the order is stable. */
export function sortRows<R extends SortableRow>(rows: readonly R[], sort: (typeof sortable)[number], dir: 'asc' | 'desc'): R[] {
  const key = keyOf[sort];
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return c !== 0 ? sign * c : collator.compare(a.code, b.code);
  });
}
