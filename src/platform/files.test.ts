import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '../../test/db';
import { samples } from '../../test/multipart';
import type { Database } from '../db/database';
import { FixedClock } from './clock';
import { cleanFileName, contentDisposition, deleteStoredFile, readStoredFile, storeFile, storedFileInfo } from './files';
import { storedFileContents, storedFiles } from './platform.table';
import { setPolicy } from './policies';

describe('stored files (platform/files): checked by their content, kept in PostgreSQL', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  const ownerId = randomUUID();
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());
  const store = (name: string, data: Buffer, maxBytes?: number) => storeFile(database.db, clock, { purpose: 'rate_proof', ownerId, name, data }, { maxBytes });

  it('PAY-6 a PNG, a JPEG and a PDF are stored with their type found from the content, size, SHA-256 and cleaned name, and read back', async () => {
    const cases = [
      ['attestation.png', samples.png, 'image/png'],
      ['photo CAF.JPG', samples.jpeg, 'image/jpeg'],
      ['../../etc/attestation\u202Efdp.pdf', samples.pdf, 'application/pdf'],
    ] as const;
    for (const [name, data, mediaType] of cases) {
      const stored = await store(name, data);
      assert.ok(stored.ok, name);
      assert.equal(stored.file.mediaType, mediaType);
      assert.equal(stored.file.size, data.length);
      assert.equal(stored.file.sha256, createHash('sha256').update(data).digest('hex'));
      assert.equal(stored.file.ownerId, ownerId);
      assert.equal(stored.file.purpose, 'rate_proof');
      assert.equal(stored.file.storage, 'postgres');
      assert.deepEqual(stored.file.createdAt, clock.now());
      const read = await readStoredFile(database.db, stored.file.id);
      assert.ok(read);
      assert.ok(read.data.equals(data), 'the same bytes');
    }
    const names = (await database.db.select({ name: storedFiles.originalName }).from(storedFiles)).map((r) => r.name).sort();
    assert.deepEqual(names, ['attestationfdp.pdf', 'attestation.png', 'photo CAF.JPG'].sort(), 'no folders, no direction override');
  });

  it('PAY-6 a text file renamed .pdf and sent as a PDF is refused by its content', async () => {
    const before = (await database.db.select().from(storedFiles)).length;
    assert.deepEqual(await store('attestation.pdf', samples.text), { ok: false, code: 'type', message: 'upload.type' });
    // An HTML page or a script named like an image is no image either.
    assert.equal((await store('photo.png', Buffer.from('<html><script>alert(1)</script></html>'))).ok, false);
    assert.equal((await database.db.select().from(storedFiles)).length, before, 'nothing stored');
  });

  it('PAY-6 an empty file and a file over the limit are refused with their reason; the limit is the policy (5 MB by default)', async () => {
    assert.deepEqual(await store('vide.pdf', Buffer.alloc(0)), { ok: false, code: 'empty', message: 'upload.empty' });
    const pdfOf = (size: number) => Buffer.concat([samples.pdf, Buffer.alloc(size - samples.pdf.length, 0x20)]);
    assert.deepEqual(await store('gros.pdf', pdfOf(5 * 1024 * 1024 + 1)), { ok: false, code: 'too_large', message: 'upload.tooLarge', params: { max: 5 } });
    assert.ok((await store('juste.pdf', pdfOf(5 * 1024 * 1024))).ok, 'exactly 5 MB is taken');
    await setPolicy(database.db, 'uploadMaxMegabytes', 1);
    assert.deepEqual(await store('moyen.pdf', pdfOf(2 * 1024 * 1024)), { ok: false, code: 'too_large', message: 'upload.tooLarge', params: { max: 1 } });
    assert.equal((await store('petit.pdf', pdfOf(1024), 100)).ok, false, 'a caller may set a smaller limit');
  });

  it('deleting a file removes its bytes; reading an unknown or malformed id is null', async () => {
    const stored = await store('a.png', samples.png);
    assert.ok(stored.ok);
    await deleteStoredFile(database.db, stored.file.id);
    assert.equal(await readStoredFile(database.db, stored.file.id), null);
    assert.equal((await database.db.select().from(storedFileContents).where(eq(storedFileContents.fileId, stored.file.id))).length, 0);
    await deleteStoredFile(database.db, stored.file.id);
    assert.equal(await readStoredFile(database.db, randomUUID()), null);
    assert.equal(await readStoredFile(database.db, 'not-a-uuid'), null);
    assert.equal((await storedFileInfo(database.db, ['x'])).size, 0);
  });

  it('names are cleaned, and offered back as attachments with the extension of what the file is', () => {
    assert.equal(cleanFileName('C:\\Users\\léa\\Documents\\attestation CAF.pdf'), 'attestation CAF.pdf');
    assert.equal(cleanFileName('a<b>:c"|?*.png'), 'a_b__c____.png');
    assert.equal(cleanFileName('  ..\u0000\u0007  '), 'document');
    assert.equal(cleanFileName(`${'x'.repeat(300)}.pdf`).length, 120);
    assert.ok(cleanFileName(`${'x'.repeat(300)}.pdf`).endsWith('.pdf'));
    assert.equal(cleanFileName('e\u0301te\u0301.png'), 'été.png', 'NFC');
    assert.equal(contentDisposition({ originalName: 'relevé CAF.pdf', mediaType: 'application/pdf' }), `attachment; filename="releve CAF.pdf"; filename*=UTF-8''relev%C3%A9%20CAF.pdf`);
    assert.match(contentDisposition({ originalName: 'scan', mediaType: 'image/jpeg' }), /filename="scan\.jpg"/);
    assert.match(contentDisposition({ originalName: 'photo.pdf', mediaType: 'image/png' }), /filename="photo\.pdf\.png"/);
  });
});
