import type { hipstershop } from '@glasshouse/contracts';
import type { Implementation } from '@glasshouse/kit';
import { invalidArgument } from '@glasshouse/kit';
import { convert, moneyProblem } from '@glasshouse/money';
import type { RateTable } from './rates.js';

type CurrencyService = typeof hipstershop.CurrencyServiceService;

/** The CurrencyService handlers over a table of EUR-based rates. */
export function currencyService(rates: RateTable): Implementation<CurrencyService> {
  const codes = [...rates.keys()].sort();
  return {
    getSupportedCurrencies: () => ({ currencyCodes: codes }),
    convert(request) {
      const problem = moneyProblem(request.from);
      if (problem || !request.from) throw invalidArgument(`from: ${problem ?? 'amount is missing'}`);
      const from = rates.get(request.from.currencyCode);
      if (!from) throw invalidArgument(`from: currency ${request.from.currencyCode} is not supported`);
      const to = rates.get(request.toCode);
      if (!to) throw invalidArgument(`to_code: currency "${request.toCode}" is not supported`);
      return convert(request.from, from, to, request.toCode);
    },
  };
}
