import { createHash, randomUUID } from 'node:crypto';

/**
 * The order id: derived from the user and the idempotency key when there is one, so a retry
 * names the same order (and the same stock reservation and charge); random otherwise.
 */
export function orderIdFor(userId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return randomUUID();
  const hex = createHash('sha256').update(`${userId}\n${idempotencyKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
