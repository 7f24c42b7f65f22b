/**
 * SVC-8: the catalogue as open data. The public JSON API under /api/v1 (`api.*`: its zod
 * schemas, the OpenAPI document generated from them, its reference page) reads the catalogue's
 * own search and free places through the catalogue's facade; this module owns no table.
 */
import './opendata.messages'; // registers the module's messages

export { apiRoutes, isApiRequest, sendApiProblem } from './api.routes';
export { openApiDocument } from './api.openapi';
