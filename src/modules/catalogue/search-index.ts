import { keywordTerms, slotKeysOf, type SearchFilters } from './catalogue.rules';
import type { Mode, Rhythm } from '../../domain/vocabulary';

/**
 * Decision 034: the search documents of one catalogue version, in each app process's memory, in
 * the search's order (as PostgreSQL sorted them: title then school in `fr-x-icu`, then session
 * code), with what CAT-3 and CAT-4 filter on. A search is a walk of this list with the same
 * conditions as the SQL search (`searchQuery`), stopping as soon as the page and its bounded
 * count are known; PostgreSQL is then asked only the places held by the rows shown and the
 * catalogue's version, in one statement (the service's `searchInMemory`). A test holds the two
 * to the same answers on hundreds of searches (`search-index.service.test.ts`).
 */
export interface IndexedFields {
  id: number;
  sessionCode: string;
  courseCode: string;
  title: string;
  schoolName: string;
  schoolCode: string;
  domainSlug: string;
  periodCode: string;
  rhythm: Rhythm;
  /** The session's mode (SVC-2: its own when the service changed it, else its course's). */
  sessionMode: Mode;
  arrondissement: number | null;
  applicationsOpenAt: Date;
  applicationsCloseAt: Date;
}

/** A document as loaded: the row the search shows, its folded title (CAT-3) and its slot keys (CAT-4). */
export type IndexedDocument<R extends IndexedFields> = R & { titleFolded: string; slotKeys: number[] };

/** Where a walk starts and what it keeps: skip `skip` matches, keep `take`, count up to `countUpTo`. */
export interface Walk {
  /** The position in the order where the walk starts (after a key: its position plus one). */
  from: number;
  skip: number;
  take: number;
  countUpTo: number;
}

/** The fields filtered on by equality (CAT-4, SVC-8's course and session), each kept as small integers with the positions of each value. */
const EQUALITIES = ['courseCode', 'domainSlug', 'periodCode', 'rhythm', 'sessionMode', 'arrondissement', 'schoolCode'] as const;
type Equality = (typeof EQUALITIES)[number];
/** The filters that name each field. */
const FILTER_OF: Record<Equality, keyof SearchFilters> = {
  courseCode: 'course',
  domainSlug: 'domain',
  periodCode: 'period',
  rhythm: 'rhythm',
  sessionMode: 'mode',
  arrondissement: 'arrondissement',
  schoolCode: 'school',
};
/** Slot keys are below 128 (`weekday*10 + band`, `100 + band`): 16 bytes of bits a document. */
const KEY_BYTES = 16;

/** One field as integers: each value's number, each document's value, each value's positions (in order). */
interface Column {
  ids: Map<unknown, number>;
  values: Int32Array;
  positions: Int32Array[];
}

export class SearchIndex<R extends IndexedFields> {
  readonly size: number;
  private readonly rows: R[];
  private readonly position = new Map<string, number>();
  private readonly columns = {} as Record<Equality, Column>;
  private readonly opensAt: Float64Array;
  private readonly closesAt: Float64Array;
  private readonly keyBits: Uint8Array;
  /** Each course's folded title once, by the course column's numbers (a keyword is matched on 3 000 titles, not on 20 000 documents). */
  private readonly courseTitles: string[] = [];
  /**
   * The courses and positions of the keywords last searched (a rush searches the same few words
   * many times: each is matched on the titles once, not at every search), the oldest dropped past
   * KEYWORDS_KEPT.
   */
  private readonly keywords = new Map<string, { matching: Uint8Array; positions: Int32Array } | null>();

  constructor(
    readonly version: number,
    documents: IndexedDocument<R>[],
  ) {
    const size = (this.size = documents.length);
    this.rows = new Array<R>(size);
    this.opensAt = new Float64Array(size);
    this.closesAt = new Float64Array(size);
    this.keyBits = new Uint8Array(size * KEY_BYTES);
    const lists = {} as Record<Equality, number[][]>;
    for (const field of EQUALITIES) {
      this.columns[field] = { ids: new Map(), values: new Int32Array(size), positions: [] };
      lists[field] = [];
    }
    for (const [i, document] of documents.entries()) {
      const { titleFolded, slotKeys, ...row } = document;
      this.rows[i] = row as unknown as R;
      this.position.set(row.sessionCode, i);
      for (const field of EQUALITIES) {
        const column = this.columns[field];
        let id = column.ids.get(row[field]);
        if (id === undefined) {
          column.ids.set(row[field], (id = column.ids.size));
          lists[field].push([]);
        }
        column.values[i] = id;
        lists[field][id].push(i);
      }
      this.courseTitles[this.columns.courseCode.values[i]] = titleFolded;
      this.opensAt[i] = row.applicationsOpenAt.getTime();
      this.closesAt[i] = row.applicationsCloseAt.getTime();
      for (const key of slotKeys) if (key >= 0 && key < KEY_BYTES * 8) this.keyBits[i * KEY_BYTES + (key >> 3)] |= 1 << (key & 7);
    }
    for (const field of EQUALITIES) this.columns[field].positions = lists[field].map((list) => Int32Array.from(list));
  }

  /**
   * Where a window after this key starts (SVC-8's cursor: title, school, session code), or
   * undefined when the key's session is not in this version with that title and school: the
   * SQL search, which compares keys in the collation, answers that one.
   */
  startAfter(key: { title: string; school: string; session: string }): number | undefined {
    const at = this.position.get(key.session);
    if (at === undefined) return undefined;
    const row = this.rows[at];
    return row.title === key.title && row.schoolName === key.school ? at + 1 : undefined;
  }

  /** The rows matching the filters (those kept by the walk) and how many matched, up to its bound. */
  select(filters: SearchFilters, now: Date, walk: Walk): { rows: R[]; total: number } {
    const rows: R[] = [];
    let total = 0;
    const plan = this.plan(filters, now);
    if (!plan) return { rows, total };
    const { candidates, matches } = plan;
    const keep = (i: number) => {
      if (!matches(i)) return;
      if (total >= walk.skip && rows.length < walk.take) rows.push(this.rows[i]);
      total++;
    };
    if (candidates) {
      // The positions of the narrowest condition, in order: from the first at or after `from`.
      let k = lowerBound(candidates, walk.from);
      while (k < candidates.length && total < walk.countUpTo) keep(candidates[k++]);
    } else {
      for (let i = walk.from; i < this.size && total < walk.countUpTo; i++) keep(i);
    }
    return { rows, total };
  }

  /**
   * The filters as the positions to look at (the narrowest condition's, when one names a value)
   * and one test of a position: the conditions of `searchQuery`, one for one. Null: none can match.
   */
  private plan(filters: SearchFilters, now: Date): { candidates?: Int32Array; matches: (i: number) => boolean } | null {
    const tests: ((i: number) => boolean)[] = [];
    let candidates: Int32Array | undefined;
    const narrow = (positions: Int32Array) => {
      if (!candidates || positions.length < candidates.length) candidates = positions;
    };
    if (filters.session !== undefined) {
      const at = this.position.get(filters.session);
      if (at === undefined) return null;
      narrow(Int32Array.of(at));
    }
    for (const field of EQUALITIES) {
      const value = filters[FILTER_OF[field]];
      if (value === undefined) continue;
      const column = this.columns[field];
      const id = column.ids.get(value);
      if (id === undefined) return null;
      const values = column.values;
      tests.push((i) => values[i] === id);
      narrow(column.positions[id]);
    }
    const terms = keywordTerms(filters.q);
    if (terms.length) {
      // CAT-3: every term somewhere in the course's folded title (`like '%term%'`; terms are letters and digits only).
      const hits = this.keywordHits(terms);
      if (!hits) return null;
      const { matching, positions } = hits;
      const values = this.columns.courseCode.values;
      tests.push((i) => matching[values[i]] === 1);
      narrow(positions);
    }
    if (filters.onlyOpen) {
      const at = now.getTime();
      const { opensAt, closesAt } = this;
      tests.push((i) => opensAt[i] <= at && closesAt[i] > at);
    }
    if (filters.weekdays.length || filters.times.length) {
      // CAT-4: one slot on the day and at the time asked (`slot_keys && keys`).
      const wanted = slotKeysOf(filters.weekdays, filters.times).filter((k) => k >= 0 && k < KEY_BYTES * 8);
      const bits = this.keyBits;
      tests.push((i) => {
        for (const key of wanted) if (bits[i * KEY_BYTES + (key >> 3)] & (1 << (key & 7))) return true;
        return false;
      });
    }
    const matches =
      tests.length === 0
        ? () => true
        : tests.length === 1
          ? tests[0]
          : (i: number) => {
              for (const test of tests) if (!test(i)) return false;
              return true;
            };
    return { candidates, matches };
  }

  /** The courses whose folded title holds every term (1 by the course column's numbers) and their documents' positions in order; null: none. */
  private keywordHits(terms: string[]): { matching: Uint8Array; positions: Int32Array } | null {
    const key = terms.join(' ');
    const known = this.keywords.get(key);
    if (known !== undefined) return known;
    const courses = this.columns.courseCode;
    const matching = new Uint8Array(this.courseTitles.length);
    let count = 0;
    for (let id = 0; id < this.courseTitles.length; id++) {
      const title = this.courseTitles[id];
      if (terms.every((term) => title.includes(term))) {
        matching[id] = 1;
        count += courses.positions[id].length;
      }
    }
    let hits: { matching: Uint8Array; positions: Int32Array } | null = null;
    if (count > 0) {
      const positions = new Int32Array(count);
      let n = 0;
      for (let id = 0; id < matching.length; id++) {
        if (!matching[id]) continue;
        positions.set(courses.positions[id], n);
        n += courses.positions[id].length;
      }
      hits = { matching, positions: positions.sort() };
    }
    if (this.keywords.size >= KEYWORDS_KEPT) this.keywords.delete(this.keywords.keys().next().value!);
    this.keywords.set(key, hits);
    return hits;
  }
}

/** How many keyword searches an index keeps the answer of (each a few kB, a common word's up to 80 kB). */
const KEYWORDS_KEPT = 256;

/** The first index of a sorted list whose value is at least `value`. */
function lowerBound(list: Int32Array, value: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The indexes of one process, one per database (tests make many), each replaced when a search
 * finds the catalogue's version moved: while one is loaded, the SQL search answers (no request
 * waits for a load). A load that failed is not tried again for a few seconds.
 */
export class SearchIndexes<K extends object, R extends IndexedFields> {
  private readonly kept = new WeakMap<K, { index?: SearchIndex<R>; loading?: Promise<void>; failedAt?: number }>();

  constructor(
    private readonly load: (key: K) => Promise<SearchIndex<R>>,
    private readonly retryMs = 5_000,
  ) {}

  /** The index last loaded for this database (its version may be behind: the caller checks), or undefined while one loads. */
  current(key: K, now = Date.now()): SearchIndex<R> | undefined {
    const state = this.state(key);
    if (!state.index && !state.loading && (state.failedAt === undefined || now - state.failedAt >= this.retryMs)) this.reload(key, state);
    return state.index;
  }

  /** The catalogue's version is not the index's: drop it, load the new one. */
  outdated(key: K, index: SearchIndex<R>): void {
    const state = this.state(key);
    if (state.index !== index) return;
    state.index = undefined;
    if (!state.loading) this.reload(key, state);
  }

  /** The load under way, if any (for tests and benchmarks that want the index in place). */
  async settled(key: K): Promise<SearchIndex<R> | undefined> {
    this.current(key);
    await this.state(key).loading;
    return this.state(key).index;
  }

  private state(key: K) {
    let state = this.kept.get(key);
    if (!state) this.kept.set(key, (state = {}));
    return state;
  }

  private reload(key: K, state: { index?: SearchIndex<R>; loading?: Promise<void>; failedAt?: number }) {
    state.loading = this.load(key).then(
      (index) => {
        state.index = index;
        state.failedAt = undefined;
        state.loading = undefined;
      },
      () => {
        // The SQL search goes on answering (and shows the database's error, if it has one).
        state.failedAt = Date.now();
        state.loading = undefined;
      },
    );
  }
}
