import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { commitmentPattern, drawOrder, normaliseReference, referencePattern, sameOrder, verifyDraw } from './modules/selection/draw.rules';

export interface CommandResult {
  stdout: string[];
  stderr: string[];
  code: number;
}

/**
 * SEL-2: `draw --seed S --commitment C REF…` or `draw --file selection.json` (the JSON of a
 * session's public page): checks sha256(seed) against the commitment published before the
 * window opened, then re-runs the order of the references (and compares it with the order
 * published). Exit code 1 when the commitment or the order does not match, or the input is wrong.
 */
export function drawCommand(args: string[], usage: string): CommandResult {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const fail = (message: string): CommandResult => ({ stdout, stderr: [...stderr, message], code: 1 });
  let parsed;
  try {
    parsed = parseArgs({ args, options: { seed: { type: 'string' }, commitment: { type: 'string' }, file: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    return fail(`${(error as Error).message}\n${usage}`);
  }
  const { values, positionals } = parsed;
  let seed = values.seed;
  let commitment = values.commitment;
  let references = positionals;
  let published: string[] | undefined;
  if (values.file) {
    if (!existsSync(values.file)) return fail(`No such file: ${values.file}`);
    let file: { draw?: { seed?: unknown; commitment?: unknown; order?: unknown } | null } | null;
    try {
      file = JSON.parse(readFileSync(values.file, 'utf8'));
    } catch {
      return fail(`${values.file} is not the JSON of a public selection page (/sessions/CODE/selection.json).`);
    }
    const draw = file?.draw;
    if (!draw || typeof draw.commitment !== 'string') return fail(`${values.file} has no committed draw yet.`);
    if (typeof draw.seed !== 'string') return fail(`The seed of this draw is not revealed yet (the session is not decided): the commitment is ${draw.commitment}.`);
    if (!Array.isArray(draw.order) || !draw.order.every((r): r is string => typeof r === 'string')) return fail(`${values.file} has no order of references.`);
    seed ??= draw.seed;
    commitment ??= draw.commitment;
    published = draw.order;
    if (references.length === 0) references = draw.order;
  }
  if (!seed || (references.length === 0 && !commitment)) return fail(`draw needs --seed (with --commitment) and the references, or --file.\n${usage}`);
  const odd = references.filter((r) => !referencePattern.test(normaliseReference(r)));
  if (odd.length) return fail(`Not draw references (10 letters A–Z and digits 2–7): ${odd.join(', ')}`);
  if (commitment !== undefined) {
    const expected = commitment.trim().toLowerCase();
    if (!commitmentPattern.test(expected)) return fail('--commitment takes the 64 hexadecimal characters the session’s page publishes.');
    const check = verifyDraw({ seed, commitment, references });
    if (!check.ok) return fail(`The seed does not match the commitment: sha256(seed) is ${check.actual}, the commitment published is ${check.expected}. This draw cannot be trusted.`);
    stdout.push(`The seed matches the commitment ${expected}.`);
  } else stdout.push('No --commitment given: the seed is not checked against what was published.');
  const order = drawOrder(seed, references);
  order.forEach((reference, i) => stdout.push(`${i + 1}. ${reference}`));
  if (published) {
    if (!sameOrder(published, order)) return fail('The order published differs from the order this seed gives.');
    stdout.push('The order published is the order this seed gives.');
  }
  return { stdout, stderr, code: 0 };
}
