/**
 * Issue 19 point 8: the static files of `public/`, fingerprinted. This module is the one place
 * that knows the fingerprint map: at start it reads each file once, names it by its content
 * (`app.css` → `/static/app.3f2a1b9c0d.css`, the first 10 hex digits of its SHA-256) and keeps
 * it in memory with its gzip and brotli forms, compressed once at the best level. The pages link
 * the fingerprinted names (`assetUrl`), which are answered `Cache-Control: public,
 * max-age=31536000, immutable`: a browser that has a file never asks for it again, and a new
 * version is a new name.
 *
 * Kept in memory rather than written beside the files (`app.css.br`): the production folder is
 * read-only under the systemd unit (ProtectSystem=strict), and the whole of `public/` is a few
 * dozen kilobytes.
 *
 * A name whose fingerprint is not the current one (a page rendered by the previous version, or by
 * the other process during a rolling restart) gets the current file with `no-cache`, never an
 * error; the bare name (`/static/app.css`) too, with a short cache as before.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors';
import { acceptedEncoding } from './compression';

/** Found when first read, not when this file loads: drizzle-kit loads the table files (and what they import) without import.meta. */
const folder = () => resolve(import.meta.dirname, '../..', 'public');

const types: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};
const textual = new Set(['.css', '.js', '.svg', '.txt', '.json']);

export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface StaticAsset {
  /** The file's name in public/ (`app.css`). */
  name: string;
  hash: string;
  /** Its fingerprinted URL (`/static/app.3f2a1b9c0d.css`). */
  url: string;
  type: string;
  body: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

let assets: Map<string, StaticAsset> | undefined;

const fingerprinted = (name: string, hash: string) => {
  const ext = extname(name);
  return `/static/${name.slice(0, name.length - ext.length)}.${hash}${ext}`;
};

/** Reads public/ once: what is not CSS first, since the stylesheet names the other files by their fingerprinted URLs. */
function load(): Map<string, StaticAsset> {
  const publicDir = folder();
  const names = readdirSync(publicDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && extname(entry.name) in types)
    .map((entry) => entry.name)
    .sort((a, b) => Number(a.endsWith('.css')) - Number(b.endsWith('.css')) || a.localeCompare(b));
  const map = new Map<string, StaticAsset>();
  for (const name of names) {
    let body = readFileSync(join(publicDir, name));
    if (name.endsWith('.css')) {
      // url('/static/x.svg') in the stylesheet becomes the file's fingerprinted URL (cached as long as the stylesheet).
      body = Buffer.from(body.toString('utf8').replace(/url\((['"]?)\/static\/([^'")?]+)\1\)/g, (whole, quote: string, file: string) => {
        const target = map.get(file);
        return target ? `url(${quote}${target.url}${quote})` : whole;
      }));
    }
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
    const ext = extname(name);
    const asset: StaticAsset = { name, hash, url: fingerprinted(name, hash), type: types[ext], body };
    if (textual.has(ext) && body.length >= 256) {
      asset.gzip = gzipSync(body, { level: 9 });
      asset.br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
    }
    map.set(name, asset);
  }
  return map;
}

/** Every static file, read and compressed on the first call. */
export function staticAssets(): Map<string, StaticAsset> {
  return (assets ??= load());
}

/** The URL a page links for a file of public/: its fingerprinted name. */
export function assetUrl(name: string): string {
  const asset = staticAssets().get(name);
  if (!asset) throw new Error(`no static file ${name} in public/`);
  return asset.url;
}

/** The CSP source that allows the stylesheet inlined in a page's head (`'sha256-…'`). */
export function inlineStyleSource(name: string): string {
  const asset = staticAssets().get(name);
  if (!asset) throw new Error(`no static file ${name} in public/`);
  return `'sha256-${createHash('sha256').update(asset.body).digest('base64')}'`;
}

/** The stylesheet's text, to inline in a page's head. */
export function inlineStyle(name: string): string {
  const asset = staticAssets().get(name);
  if (!asset) throw new Error(`no static file ${name} in public/`);
  return asset.body.toString('utf8');
}

/** `app.3f2a1b9c0d.css` → the asset and whether that fingerprint is the current one; `app.css` → the asset, not current. */
export function findAsset(file: string): { asset: StaticAsset; current: boolean } | undefined {
  const map = staticAssets();
  const plain = map.get(file);
  if (plain) return { asset: plain, current: false };
  const match = /^(.+)\.([0-9a-f]{6,64})(\.[a-z0-9]+)$/.exec(file);
  if (!match) return undefined;
  const asset = map.get(`${match[1]}${match[3]}`);
  return asset ? { asset, current: asset.hash === match[2] } : undefined;
}

function send(request: FastifyRequest, reply: FastifyReply, found: { asset: StaticAsset; current: boolean }) {
  const { asset, current } = found;
  const etag = `"${asset.hash}"`;
  reply
    .header('content-type', asset.type)
    .header('cache-control', current ? IMMUTABLE : 'public, max-age=0, must-revalidate')
    .header('etag', etag);
  if (asset.gzip) reply.header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  const encoding = asset.gzip ? acceptedEncoding(request.headers['accept-encoding']) : undefined;
  const body = encoding === 'br' ? asset.br! : encoding === 'gzip' ? asset.gzip! : asset.body;
  if (encoding) reply.header('content-encoding', encoding);
  return reply.send(body);
}

/** GET /static/<file>: the files of public/ from memory (see above); an unknown file is the 404 page. */
export async function staticRoutes(app: FastifyInstance): Promise<void> {
  staticAssets();
  app.get<{ Params: { file: string } }>('/static/:file', async (request, reply) => {
    const found = findAsset(request.params.file);
    if (!found) throw new AppError('not_found');
    return send(request, reply, found);
  });
}
