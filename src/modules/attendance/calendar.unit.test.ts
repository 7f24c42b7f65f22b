import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldOctets } from '../../platform/ics';

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');

describe('the calendars’ lines (CAT-8, RFC 5545 3.1)', () => {
  it('CAT-8 folds a line longer than 75 octets by octets, never inside an accented letter or an emoji', () => {
    const line = `SUMMARY:${'Français écrit — débutant·e·s ✓ 日本語 😀 '.repeat(6)}`;
    const folded = foldOctets(`BEGIN:VEVENT\r\n${line}\r\nEND:VEVENT`);
    for (const part of folded.split('\r\n')) assert.ok(Buffer.byteLength(part) <= 75, `${Buffer.byteLength(part)} octets: ${part}`);
    assert.equal(unfold(folded), `BEGIN:VEVENT\r\n${line}\r\nEND:VEVENT`);
    // Each part is whole characters: none ends with half of one.
    for (const part of folded.split('\r\n')) assert.ok(!/[\uD800-\uDBFF]$/.test(part) && !/^ ?[\uDC00-\uDFFF]/.test(part));
  });

  it('CAT-8 refolds what the ics package folded by characters, and leaves short lines alone', () => {
    const byChars = `SUMMARY:${'é'.repeat(67)}\r\n\t${'é'.repeat(20)}\r\nDTSTART:20260907T160000Z`;
    const folded = foldOctets(byChars);
    assert.equal(unfold(folded), `SUMMARY:${'é'.repeat(87)}\r\nDTSTART:20260907T160000Z`);
    assert.ok(folded.split('\r\n').every((part) => Buffer.byteLength(part) <= 75));
    assert.equal(foldOctets('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'), 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
  });
});
