import { Redis } from 'ioredis';

/** One product in a cart and how many of it. */
export interface CartLine {
  readonly productId: string;
  readonly quantity: number;
}

/** Cart-wide limits; the store enforces them atomically with the write they guard. */
export interface CartLimits {
  /** Most units of one product a cart line may hold. */
  readonly maxLineQuantity: number;
  /** Most distinct products a cart may hold. */
  readonly maxLines: number;
}

export const CART_LIMITS: CartLimits = Object.freeze({ maxLineQuantity: 999, maxLines: 100 });

/** Carts live this long after their last write. */
export const DEFAULT_CART_TTL_SECONDS = 7 * 24 * 60 * 60;

/** What became of an addItem: added (with the line's new total) or refused, the cart unchanged. */
export type AddItemOutcome =
  | { readonly status: 'added'; readonly quantity: number }
  | { readonly status: 'line_full'; readonly quantity: number }
  | { readonly status: 'cart_full'; readonly lines: number };

/** Where carts are kept. */
export interface CartStore {
  readonly kind: 'redis' | 'memory';
  readonly limits: CartLimits;
  /** Adds quantity to the product's line (merging), unless a limit would be passed. */
  addItem(userId: string, productId: string, quantity: number): Promise<AddItemOutcome>;
  /** The cart's lines, ordered by product id; empty for an unknown or expired cart. */
  get(userId: string): Promise<CartLine[]>;
  empty(userId: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface CartStoreOptions {
  limits?: CartLimits;
  ttlSeconds?: number;
}

const byProduct = (a: CartLine, b: CartLine): number =>
  a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;

interface StoredCart {
  readonly lines: Map<string, number>;
  expiresAt: number;
}

/**
 * Carts in a Map, for the embedded mode: lost on restart. Carts expire like they do in Redis,
 * so a long-running shop with a load generator does not grow without bound.
 */
export class MemoryCartStore implements CartStore {
  readonly kind = 'memory';
  readonly limits: CartLimits;
  private readonly carts = new Map<string, StoredCart>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private nextSweep = 0;

  constructor(options: CartStoreOptions & { now?: () => number } = {}) {
    this.limits = options.limits ?? CART_LIMITS;
    this.ttlMs = (options.ttlSeconds ?? DEFAULT_CART_TTL_SECONDS) * 1000;
    this.now = options.now ?? Date.now;
  }

  // No await between reading and writing the line: the check and the write are atomic.
  async addItem(userId: string, productId: string, quantity: number): Promise<AddItemOutcome> {
    const now = this.now();
    this.sweep(now);
    const cart = this.live(userId, now) ?? { lines: new Map<string, number>(), expiresAt: 0 };
    const current = cart.lines.get(productId) ?? 0;
    if (current === 0 && cart.lines.size >= this.limits.maxLines)
      return { status: 'cart_full', lines: cart.lines.size };
    const total = current + quantity;
    if (total > this.limits.maxLineQuantity) return { status: 'line_full', quantity: current };
    cart.lines.set(productId, total);
    cart.expiresAt = now + this.ttlMs;
    this.carts.set(userId, cart);
    return { status: 'added', quantity: total };
  }

  async get(userId: string): Promise<CartLine[]> {
    const cart = this.live(userId, this.now());
    if (!cart) return [];
    return [...cart.lines].map(([productId, quantity]) => ({ productId, quantity })).sort(byProduct);
  }

  async empty(userId: string): Promise<void> {
    this.carts.delete(userId);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.carts.clear();
  }

  private live(userId: string, now: number): StoredCart | undefined {
    const cart = this.carts.get(userId);
    if (cart && cart.expiresAt <= now) {
      this.carts.delete(userId);
      return undefined;
    }
    return cart;
  }

  /** Drops expired carts, at most once a minute, so the cost stays amortised over writes. */
  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + 60_000;
    for (const [userId, cart] of this.carts) if (cart.expiresAt <= now) this.carts.delete(userId);
  }
}

/**
 * Merges a quantity into a cart line unless that would pass a limit, and refreshes the TTL, in
 * one step: concurrent adds cannot push a line or a cart past its cap.
 * KEYS[1] cart; ARGV product id, quantity, max line quantity, max lines, TTL seconds.
 */
const ADD_ITEM_SCRIPT = `
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if current == 0 then
  local lines = redis.call('HLEN', KEYS[1])
  if lines >= tonumber(ARGV[4]) then return {'cart_full', lines} end
end
if current + tonumber(ARGV[2]) > tonumber(ARGV[3]) then return {'line_full', current} end
local total = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return {'added', total}
`;

interface CartCommands {
  addCartItem(key: string, ...args: Array<string | number>): Promise<unknown>;
}

export interface RedisCartStoreOptions extends CartStoreOptions {
  url: string;
  /** Prepended to the user id to make the cart's key; tests use a unique one. */
  keyPrefix?: string;
  /** A command that takes longer fails, so a stuck Redis cannot hold calls until their deadline. */
  commandTimeoutMs?: number;
  /** Connection problems (ioredis reconnects by itself). */
  onError?: (error: Error) => void;
}

/**
 * Carts in Redis, one hash per cart (`cart:<userId>`, product id → quantity), expiring
 * ttlSeconds after the last write. Carts survive a restart of the service.
 */
export class RedisCartStore implements CartStore {
  readonly kind = 'redis';
  readonly limits: CartLimits;
  readonly keyPrefix: string;
  private readonly redis: Redis & CartCommands;
  private readonly ttlSeconds: number;
  private closing: Promise<void> | undefined;

  constructor(options: RedisCartStoreOptions) {
    this.limits = options.limits ?? CART_LIMITS;
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_CART_TTL_SECONDS;
    this.keyPrefix = options.keyPrefix ?? 'cart:';
    const redis = new Redis(options.url, {
      // Fail a call quickly while Redis is away instead of queueing it through many reconnects.
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: options.commandTimeoutMs ?? 1000,
    });
    redis.on('error', (error: Error) => options.onError?.(error));
    redis.defineCommand('addCartItem', { numberOfKeys: 1, lua: ADD_ITEM_SCRIPT });
    this.redis = redis as Redis & CartCommands;
  }

  async addItem(userId: string, productId: string, quantity: number): Promise<AddItemOutcome> {
    const reply = await this.redis.addCartItem(
      this.key(userId),
      productId,
      quantity,
      this.limits.maxLineQuantity,
      this.limits.maxLines,
      this.ttlSeconds,
    );
    return parseAddReply(reply);
  }

  async get(userId: string): Promise<CartLine[]> {
    const hash = await this.redis.hgetall(this.key(userId));
    return Object.entries(hash)
      .map(([productId, quantity]) => ({ productId, quantity: Number(quantity) }))
      .sort(byProduct);
  }

  async empty(userId: string): Promise<void> {
    await this.redis.del(this.key(userId));
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  close(): Promise<void> {
    this.closing ??= this.disconnect();
    return this.closing;
  }

  private key(userId: string): string {
    return `${this.keyPrefix}${userId}`;
  }

  private async disconnect(): Promise<void> {
    if (this.redis.status !== 'ready') {
      this.redis.disconnect();
      return;
    }
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}

function parseAddReply(reply: unknown): AddItemOutcome {
  if (Array.isArray(reply) && reply.length === 2 && typeof reply[1] === 'number') {
    const [status, count] = reply as [unknown, number];
    if (status === 'added' || status === 'line_full') return { status, quantity: count };
    if (status === 'cart_full') return { status, lines: count };
  }
  throw new Error(`unexpected reply from the add-item script: ${JSON.stringify(reply)}`);
}

/** Redis when a URL is given, memory otherwise. */
export function openCartStore(
  options: CartStoreOptions & { redisUrl?: URL | string; onError?: (error: Error) => void },
): CartStore {
  const { redisUrl, ...rest } = options;
  return redisUrl ? new RedisCartStore({ ...rest, url: redisUrl.toString() }) : new MemoryCartStore(rest);
}
