import type { DbOrTx } from '../../db/database';
import type { Allowance, Rate } from '../../domain/vocabulary';

/** PAY-5, PAY-6: the rate of an application (until the half-rate proofs land: the full rate). */
export async function rateOf(_db: DbOrTx, _applicationId: string): Promise<{ rate: Rate; allowance: Allowance | null }> {
  return { rate: 'full', allowance: null };
}
