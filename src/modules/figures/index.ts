/**
 * SVC-6: figures per period for staff in their scope and the central service, as charts with
 * their data tables, and as CSV and Excel exports. Each module below counts its own (its
 * `figures.ts`, through its facade); this one asks them for the sessions of a scope and sums.
 */
import './figures.messages'; // registers the module's messages

export { figuresRoutes } from './figures.routes';
export { figureChoices, figuresFor, mayReadFigures, type FigureChoices, type FiguresReport } from './figures.service';
