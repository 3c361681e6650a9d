import type { FeatureFlags } from '@glasshouse/kit';
import type { CartStore } from './store.js';

/** The store as the cart-store-outage scenario sees it: every call refused while it is on. */
export function storeWithOutage(store: CartStore, flags: FeatureFlags | undefined): CartStore {
  if (!flags) return store;
  const refused = (): void => {
    if (flags.isOn('cart-store-outage') && Math.random() < flags.number('cart-store-outage', 'rate', 1)) {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    }
  };
  return {
    kind: store.kind,
    limits: store.limits,
    addItem: async (userId, productId, quantity) => {
      refused();
      return store.addItem(userId, productId, quantity);
    },
    get: async (userId) => {
      refused();
      return store.get(userId);
    },
    empty: async (userId) => {
      refused();
      return store.empty(userId);
    },
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
