import type { Config } from '../../config';
import { createPayfipClient } from './payfip/payfip';
import type { PaymentProvider } from './provider';

/**
 * PAY-2: the provider the configuration names: PayFiP, or its simulation (outside production,
 * mounted in the app under `config.payfip.prefix`, talked to over HTTP like the real one), or
 * none (online payment off: the learner pays at the school).
 */
export function paymentProvider(config: Config): PaymentProvider | null {
  return config.payfip.kind === 'off' ? null : createPayfipClient(config.payfip);
}
