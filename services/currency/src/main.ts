import '@glasshouse/kit/register';
import { hipstershop } from '@glasshouse/contracts';
import { runGrpcService } from '@glasshouse/kit';
import { DEFAULT_RATES_FILE, loadRates } from './rates.js';
import { currencyService } from './server.js';

void runGrpcService('currency', async ({ env, logger }, server) => {
  const file = env.string('CURRENCY_RATES_FILE', DEFAULT_RATES_FILE);
  const rates = await loadRates(file);
  logger.info({ currencies: rates.size, file }, 'rates loaded');
  server.add(hipstershop.CurrencyServiceService, currencyService(rates));
});
