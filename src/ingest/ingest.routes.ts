// POST /api/import: one eForms XML, OCDS JSON or UHM CSV (plain or gzip) as the body.
import express from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { AppError, parseOr400 } from '../http/errors.ts';
import { roles, SecuredRouter } from '../http/secured-router.ts';
import { totalsOf, ingestSource, type FileResult } from './ingest.service.ts';
import { bufferSource } from './sources.ts';
import { INGEST_FORMATS } from './detect.ts';
import { DEFAULT_GZIP_LIMITS, type GzipLimits } from './uhm.ts';

const ACCEPTED = ['application/xml', 'text/xml', 'application/json', 'text/csv', 'application/gzip', 'application/x-gzip'];

const querySchema = z.object({
  format: z.enum(INGEST_FORMATS).default('auto'),
  name: z.string().max(200).default('upload'),
});

/** `onResult` is told every file's result, refused ones too (the import metrics). */
export function importRouter(
  db: Db, limit: string, onStored: () => void, gzip: GzipLimits = DEFAULT_GZIP_LIMITS, onResult: (result: FileResult) => void = () => undefined,
): SecuredRouter {
  const router = new SecuredRouter('/api/import');
  router.post('/', roles('staff', 'admin'), express.raw({ type: () => true, limit }), async (req, res) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!ACCEPTED.includes(type)) {
      throw new AppError(415, 'unsupported_media_type', `Content-Type must be one of ${ACCEPTED.join(', ')}`, { contentType: type || null });
    }
    const query = parseOr400(querySchema, req.query);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const result = await ingestSource(db, bufferSource(query.name, body), { format: query.format, maxBytes: body.length + 1, gzip });
    onResult(result);
    if (result.error) throw new AppError(422, 'import_rejected', result.error, result);
    if (result.new + result.updated > 0) onStored();
    res.json({ files: [result], totals: totalsOf([result]) });
  });
  return router;
}
