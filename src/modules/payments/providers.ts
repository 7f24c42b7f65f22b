import type { Config } from '../../config';
import { ProviderUnavailable, type PaymentProvider } from './provider';

/** The provider the configuration names (PayFiP, or its simulation outside production). */
export function paymentProvider(_config: Config): PaymentProvider {
  const down = async (): Promise<never> => {
    throw new ProviderUnavailable('no payment provider configured yet');
  };
  return { name: 'payfip', mode: 'T', create: down, details: down };
}
