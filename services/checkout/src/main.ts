import '@glasshouse/kit/register';
import { hipstershop, inventory, orders, payment } from '@glasshouse/contracts';
import { runGrpcService } from '@glasshouse/kit';
import { checkoutService } from './server.js';

void runGrpcService('checkout', (context, server) => {
  const { env, logger, metrics } = context;
  const client = context.client;
  const reads = { idempotent: true };
  const dependencies = {
    cart: client(hipstershop.CartServiceClient, hipstershop.CartServiceService, 'cart'),
    catalog: client(
      hipstershop.ProductCatalogServiceClient,
      hipstershop.ProductCatalogServiceService,
      'productcatalog',
      reads,
    ),
    currency: client(
      hipstershop.CurrencyServiceClient,
      hipstershop.CurrencyServiceService,
      'currency',
      reads,
    ),
    shipping: client(hipstershop.ShippingServiceClient, hipstershop.ShippingServiceService, 'shipping'),
    payment: client(hipstershop.PaymentServiceClient, hipstershop.PaymentServiceService, 'payment'),
    chargeReversal: client(
      payment.ChargeReversalServiceClient,
      payment.ChargeReversalServiceService,
      'payment',
    ),
    email: client(hipstershop.EmailServiceClient, hipstershop.EmailServiceService, 'email'),
    orders: client(orders.OrderServiceClient, orders.OrderServiceService, 'orders'),
    inventory: client(inventory.InventoryServiceClient, inventory.InventoryServiceService, 'inventory'),
  };
  const emailDeadlineMs = env.int('CHECKOUT_EMAIL_DEADLINE_MS', 1000, { min: 1 });
  server.add(
    hipstershop.CheckoutServiceService,
    checkoutService({ dependencies, metrics, logger, emailDeadlineMs }),
  );
});
