import { hipstershop } from '@glasshouse/contracts';
import type { EnvReader, GrpcServer, ServiceRuntime } from '@glasshouse/kit';
import { failing, internalFault, withFaults } from '@glasshouse/kit';
import { DEFAULT_RATES_FILE, loadRates } from './rates.js';
import { currencyService } from './server.js';

export interface CurrencyConfig {
  /** The EUR-based rates, as JSON. */
  readonly ratesFile: string;
}

export function readCurrencyConfig(env: EnvReader): CurrencyConfig {
  return Object.freeze({ ratesFile: env.string('CURRENCY_RATES_FILE', DEFAULT_RATES_FILE) });
}

export interface CurrencyDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
}

/** Serves the CurrencyService from the rates file. */
export async function createCurrencyService(
  config: CurrencyConfig,
  deps: CurrencyDependencies,
): Promise<void> {
  const rates = await loadRates(config.ratesFile);
  deps.logger.info({ currencies: rates.size, file: config.ratesFile }, 'rates loaded');
  deps.server.add(
    hipstershop.CurrencyServiceService,
    withFaults(currencyService(rates), deps.flags, (method, flags) =>
      method === 'convert'
        ? failing(flags, 'currency-errors', () => internalFault('conversion failed'))
        : undefined,
    ),
  );
}
