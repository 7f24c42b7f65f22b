/**
 * Issue 19 point 8: the app's text answers compressed (brotli, else gzip) when the client accepts
 * it: the pages, the JSON of the API, the CSV files, the metrics. With node:zlib in an onSend hook,
 * so that every way the app is run compresses alike: the demo and a single process as well as
 * behind nginx, which passes the client's Accept-Encoding on and leaves an answer that already has
 * its Content-Encoding as it is (its own `gzip on` then covers only what the app leaves plain).
 *
 * Brotli at quality 4 and gzip at level 6: about as small as their slowest levels on a page of
 * HTML, for a fraction of a millisecond each (the slowest levels are for the static files, which
 * are compressed once: platform/assets). Streams (file downloads, PDFs) and answers under a
 * kilobyte are sent as they are.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Below this many bytes, compressing saves less than a packet. */
export const COMPRESS_MIN_BYTES = 1024;

const compressible = /^(text\/|application\/(json|problem\+json|javascript|xml|ld\+json|geo\+json)|image\/svg\+xml)/i;

/** The encoding to answer for an Accept-Encoding header: brotli, else gzip, else none (a `q=0` refuses it). */
export function acceptedEncoding(header: string | string[] | undefined): 'br' | 'gzip' | undefined {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return undefined;
  const weights = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    weights.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => weights.get(name) ?? weights.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return undefined;
}

const addVary = (current: unknown): string => {
  const text = Array.isArray(current) ? current.join(', ') : typeof current === 'string' ? current : '';
  if (/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(text)) return text;
  return text ? `${text}, Accept-Encoding` : 'Accept-Encoding';
};

/** The onSend hook (on the root instance: every route's answer goes through it). */
export function registerCompression(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (reply.hasHeader('content-encoding') || reply.statusCode === 204 || reply.statusCode === 304) return payload;
    if (!compressible.test(String(reply.getHeader('content-type') ?? ''))) return payload;
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    if (size < COMPRESS_MIN_BYTES) return payload;
    reply.header('vary', addVary(reply.getHeader('vary')));
    const encoding = acceptedEncoding(request.headers['accept-encoding']);
    if (!encoding || request.method === 'HEAD') return payload;
    const compressed =
      encoding === 'br'
        ? await brotliAsync(payload, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: size } })
        : await gzipAsync(payload, { level: 6 });
    reply.header('content-encoding', encoding);
    reply.header('content-length', compressed.length);
    return compressed;
  });
}
