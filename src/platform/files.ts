import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import type { DbOrTx } from '../db/database';
import type { Clock } from './clock';
import type { MessageKey, Params } from './i18n';
import { isUuid, ownEntry } from './input';
import { getPolicies, uploadMaxBytes } from './policies';
import { storedFileContents, storedFiles, storedMediaTypes, type StoredMediaType } from './platform.table';

/**
 * Files people upload (a half-rate proof, PAY-6), stored so that every app process reads them.
 * What a file is comes from its content (`file-type` reads its first bytes), never from its
 * name or the type the browser announced: only PDF, JPEG and PNG are taken, not empty, not
 * over the size policy. Each refusal says why, as a message key for the form.
 *
 * The description of every file is a row of `stored_files`; its bytes go to a `FileStorage`.
 * PostgreSQL is the one built (`postgresStorage`, the default): the bytes are written in the
 * caller's transaction, beside the row that points to the file. A directory shared by the
 * processes or an object store would be another `FileStorage`; the row's `storage` says which
 * one holds a file, so a change of storage leaves the old files readable.
 */

export { storedMediaTypes, type StoredMediaType } from './platform.table';
export type StoredFile = typeof storedFiles.$inferSelect;

/** Where the bytes of stored files live. */
export interface FileStorage {
  /** Written in `stored_files.storage`. */
  readonly name: string;
  write(db: DbOrTx, fileId: string, data: Buffer): Promise<void>;
  read(db: DbOrTx, fileId: string): Promise<Buffer | null>;
  remove(db: DbOrTx, fileId: string): Promise<void>;
}

/** The default storage: a bytea row beside the file's description, in the same database. */
export const postgresStorage: FileStorage = {
  name: 'postgres',
  async write(db, fileId, data) {
    await db.insert(storedFileContents).values({ fileId, content: data });
  },
  async read(db, fileId) {
    const [row] = await db.select({ content: storedFileContents.content }).from(storedFileContents).where(eq(storedFileContents.fileId, fileId));
    return row?.content ?? null;
  },
  async remove(db, fileId) {
    await db.delete(storedFileContents).where(eq(storedFileContents.fileId, fileId));
  },
};

const storages: Record<string, FileStorage> = { [postgresStorage.name]: postgresStorage };

function storageOf(file: StoredFile): FileStorage {
  const storage = ownEntry(storages, file.storage);
  // A row naming a storage this process does not have is a deployment error, not a person's.
  if (!storage) throw new Error(`Stored file ${file.id} is in storage "${file.storage}", which this process does not have.`);
  return storage;
}

export type FileRefusal = { ok: false; code: 'empty' | 'too_large' | 'type'; message: MessageKey; params?: Params };

const extensions: Record<StoredMediaType, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
};

const megabytes = (bytes: number) => Math.max(1, Math.round(bytes / (1024 * 1024)));

/**
 * What a file really is, from its content: PDF, JPEG or PNG, not empty, at most `maxBytes`;
 * else the refusal with its message (a text file renamed `.pdf` is refused as a text file).
 */
export async function checkFileContent(data: Buffer, maxBytes: number): Promise<{ ok: true; mediaType: StoredMediaType } | FileRefusal> {
  if (data.length === 0) return { ok: false, code: 'empty', message: 'upload.empty' };
  if (data.length > maxBytes) return { ok: false, code: 'too_large', message: 'upload.tooLarge', params: { max: megabytes(maxBytes) } };
  const found = await fileTypeFromBuffer(data);
  const mediaType = storedMediaTypes.find((t) => t === found?.mime);
  if (!mediaType) return { ok: false, code: 'type', message: 'upload.type' };
  return { ok: true, mediaType };
}

// C0 and C1 controls, and the bidirectional overrides that can show "fdp.exe" as "exe.pdf".
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const RESERVED = /[<>:"/\\|?*]/g;
const MAX_NAME = 120;

/**
 * The name a person's computer gave a file, made safe to show and to offer back: no folders,
 * no control or direction characters, none of the characters systems forbid in names, at most
 * 120 characters (keeping the extension); "document" when nothing is left.
 */
export function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  let clean = base.normalize('NFC').replace(UNSAFE, '').replace(RESERVED, '_').replace(/\s+/g, ' ').trim().replace(/^[.\s]+|[.\s]+$/g, '');
  if (clean.length > MAX_NAME) {
    const dot = clean.lastIndexOf('.');
    const extension = dot > 0 && clean.length - dot <= 6 ? clean.slice(dot) : '';
    clean = clean.slice(0, MAX_NAME - extension.length).trimEnd() + extension;
  }
  return clean || 'document';
}

/** The name to offer when the file is downloaded: the cleaned name, with the extension of what the file really is. */
export function downloadName(file: Pick<StoredFile, 'originalName' | 'mediaType'>): string {
  const own = extensions[file.mediaType];
  const extension = /\.([A-Za-z0-9]{1,5})$/.exec(file.originalName)?.[1]?.toLowerCase();
  return extension && own.includes(extension) ? file.originalName : `${file.originalName}.${own[0]}`;
}

/**
 * The Content-Disposition of a download: always an attachment (an uploaded file is never shown
 * inside the site's pages), with an ASCII name for old clients and the real one (RFC 6266).
 */
export function contentDisposition(file: Pick<StoredFile, 'originalName' | 'mediaType'>): string {
  const name = downloadName(file);
  const ascii = name.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\%;]/g, '_') || 'document';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** A stored file, as an attachment with the type its content showed, never shown inside the site's pages. */
export function sendStoredFile(reply: FastifyReply, found: { file: StoredFile; data: Buffer }): FastifyReply {
  return reply
    .header('content-type', found.file.mediaType)
    .header('content-disposition', contentDisposition(found.file))
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(found.data);
}

/**
 * Stores an uploaded file after checking its content (`checkFileContent`; the limit is the
 * `uploadMaxMegabytes` policy unless `maxBytes` says otherwise). Its description and, in
 * PostgreSQL, its bytes are written in one transaction (a savepoint inside the caller's).
 * Refused: an empty file, a file over the limit, anything but PDF, JPEG or PNG.
 */
export async function storeFile(
  db: DbOrTx,
  clock: Clock,
  input: { purpose: string; ownerId: string; name: string; data: Buffer },
  options: { maxBytes?: number; storage?: FileStorage } = {},
): Promise<{ ok: true; file: StoredFile } | FileRefusal> {
  const maxBytes = options.maxBytes ?? uploadMaxBytes(await getPolicies(db));
  const checked = await checkFileContent(input.data, maxBytes);
  if (!checked.ok) return checked;
  const storage = options.storage ?? postgresStorage;
  const file = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(storedFiles)
      .values({
        purpose: input.purpose,
        ownerId: input.ownerId,
        mediaType: checked.mediaType,
        size: input.data.length,
        sha256: createHash('sha256').update(input.data).digest('hex'),
        originalName: cleanFileName(input.name),
        storage: storage.name,
        createdAt: clock.now(),
      })
      .returning();
    await storage.write(tx, row.id, input.data);
    return row;
  });
  return { ok: true, file };
}

/** Descriptions of stored files, without their bytes (unknown ids are left out). */
export async function storedFileInfo(db: DbOrTx, ids: string[]): Promise<Map<string, StoredFile>> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return new Map();
  const rows = await db.select().from(storedFiles).where(inArray(storedFiles.id, valid));
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * A stored file and its bytes, or null. Whoever asks is not checked here: the caller decides
 * who may read it (the owner, staff in scope) before calling.
 */
export async function readStoredFile(db: DbOrTx, id: string): Promise<{ file: StoredFile; data: Buffer } | null> {
  const file = (await storedFileInfo(db, [id])).get(id);
  if (!file) return null;
  const data = await storageOf(file).read(db, id);
  return data ? { file, data } : null;
}

/** Deletes a stored file and its bytes (nothing when it is already gone). */
export async function deleteStoredFile(db: DbOrTx, id: string): Promise<void> {
  const file = (await storedFileInfo(db, [id])).get(id);
  if (!file) return;
  await storageOf(file).remove(db, id);
  await db.delete(storedFiles).where(eq(storedFiles.id, id));
}
