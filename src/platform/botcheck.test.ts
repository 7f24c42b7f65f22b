import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { count } from 'drizzle-orm';
import { createTestDatabase } from '../../test/db';
import type { Database } from '../db/database';
import { botQuestionAnswer, createBotChallenge, verifyBotcheck } from './botcheck';
import { botcheckUsed } from './platform.table';

const SECRET = 'botcheck-test-secret-of-at-least-32-chars';
const payload = (challenge: unknown, solution: unknown) => Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');

describe('ACC-2 bot check: each challenge is answered once', () => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());
  const used = async () => (await database.db.select({ n: count() }).from(botcheckUsed))[0].n;

  it('the spelled-out question: a wrong answer then the right one for the same question is refused', async () => {
    const { question, questionToken } = await createBotChallenge(SECRET);
    const right = String(botQuestionAnswer(question));
    assert.equal(await verifyBotcheck(database.db, SECRET, { botcheckToken: questionToken, botcheckAnswer: String(Number(right) + 1) }), false);
    assert.equal(await verifyBotcheck(database.db, SECRET, { botcheckToken: questionToken, botcheckAnswer: right }), false);
    const fresh = await createBotChallenge(SECRET);
    const answer = String(botQuestionAnswer(fresh.question));
    assert.equal(await verifyBotcheck(database.db, SECRET, { botcheckToken: fresh.questionToken, botcheckAnswer: answer }), true);
    assert.equal(await verifyBotcheck(database.db, SECRET, { botcheckToken: fresh.questionToken, botcheckAnswer: answer }), false, 'and once only');
  });

  it('the proof-of-work: a wrong solution then the right one for the same challenge is refused', async () => {
    const challenge = JSON.parse((await createBotChallenge(SECRET)).altcha);
    const solution = (await solveChallenge({ challenge, deriveKey }))!;
    const wrong = { ...solution, derivedKey: `${solution.derivedKey[0] === '0' ? '1' : '0'}${solution.derivedKey.slice(1)}` };
    assert.equal(await verifyBotcheck(database.db, SECRET, { altcha: payload(challenge, wrong) }), false);
    assert.equal(await verifyBotcheck(database.db, SECRET, { altcha: payload(challenge, solution) }), false);
    const other = JSON.parse((await createBotChallenge(SECRET)).altcha);
    const solved = payload(other, await solveChallenge({ challenge: other, deriveKey }));
    assert.equal(await verifyBotcheck(database.db, SECRET, { altcha: solved }), true);
    assert.equal(await verifyBotcheck(database.db, SECRET, { altcha: solved }), false, 'and once only');
  });

  it('made-up or tampered tokens are refused without leaving a trace', async () => {
    const before = await used();
    const { questionToken, altcha } = await createBotChallenge(SECRET);
    const token = JSON.parse(Buffer.from(questionToken, 'base64url').toString('utf8'));
    const madeUp = Buffer.from(JSON.stringify({ ...token, n: 'another-nonce' })).toString('base64url');
    const later = Buffer.from(JSON.stringify({ ...token, e: token.e + 3_600_000 })).toString('base64url');
    for (const botcheckToken of [madeUp, later, 'not-base64-json', ''])
      for (const botcheckAnswer of ['0', '7', '42'])
        assert.equal(await verifyBotcheck(database.db, SECRET, { botcheckToken, botcheckAnswer }), false);
    const challenge = JSON.parse(altcha);
    const forged = { ...challenge, parameters: { ...challenge.parameters, keyPrefix: '00' } };
    assert.equal(await verifyBotcheck(database.db, SECRET, { altcha: payload(forged, { counter: 1, derivedKey: '00' }) }), false);
    assert.equal(await verifyBotcheck(database.db, 'another-secret-of-at-least-32-characters', { botcheckToken: questionToken, botcheckAnswer: '1' }), false);
    assert.equal(await used(), before);
  });
});
