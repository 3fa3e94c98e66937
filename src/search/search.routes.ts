// GET /api/search?q=…&cpv=…&region=…&status=open&sort=deadline&page=2
// → { hits, total, totalExact, page, pageSize, facets }. The header
// X-Search-Backend says which index answered: fts5 (SQLite), postgres,
// meilisearch, or fts5-fallback / postgres-fallback when Meilisearch could not
// be reached.
import { anyone, SecuredRouter } from '../http/secured-router.ts';
import { parseOr400 } from '../http/errors.ts';
import { searchQuerySchema } from './search.schema.ts';
import type { SearchService } from './search.service.ts';

export function searchRouter(search: SearchService): SecuredRouter {
  const router = new SecuredRouter('/api/search');

  router.get('/', anyone, async (req, res) => {
    const query = parseOr400(searchQuerySchema, req.query);
    const { backend, ...result } = await search.search(query);
    res.set('X-Search-Backend', backend).json(result);
  });

  return router;
}
