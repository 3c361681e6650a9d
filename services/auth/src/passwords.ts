import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { RpcError } from '@glasshouse/kit';

/**
 * scrypt's cost, stated once: N = 2^14, r = 8, p = 1 (scrypt's interactive-login setting) takes
 * 16 MiB a hash, so a GPU gains little; 2^15 took 450–700 ms a hash on this 2-core machine
 * under load, too close to a sign-in's 2 s deadline. The parameters are stored with each hash,
 * so they can be raised later without locking anyone out.
 */
export const SCRYPT_COST = Object.freeze({ log2N: 14, r: 8, p: 1, keyLength: 32, saltLength: 16 });

const PREFIX = 'scrypt';

/**
 * Hashes run one at a time: each holds 16 MiB outside the JS heap, and the container's limit
 * (80 MiB in compose) has room for one beside Node's ~60. Under a brute force the queue is the
 * throttle; refusals while locked out never hash.
 */
let queue: Promise<unknown> = Promise.resolve();
let waiting = 0;
/**
 * Hashes waiting at most: beyond it a sign-in is refused at once. An unbounded queue under a
 * brute force kept hashing (and counting failures) for minutes after the attack stopped, for
 * callers whose deadline had long passed.
 */
export const MAX_WAITING_HASHES = 16;

function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
  if (waiting >= MAX_WAITING_HASHES) {
    return Promise.reject(
      new RpcError(status.RESOURCE_EXHAUSTED, 'too many sign-ins at once; try again in a moment', 'busy'),
    );
  }
  waiting++;
  const result = queue.then(run, run).finally(() => waiting--);
  queue = result.catch(() => undefined);
  return result;
}

function derive(password: string, salt: Buffer, log2N: number, r: number, p: number, keyLength: number) {
  return oneAtATime(() => deriveNow(password, salt, log2N, r, p, keyLength));
}

function deriveNow(password: string, salt: Buffer, log2N: number, r: number, p: number, keyLength: number) {
  const N = 2 ** log2N;
  // Node refuses more than 32 MiB by default; scrypt needs 128 · N · r bytes and a little more.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** `scrypt$15$8$1$<salt>$<key>` (base64url), with a salt of its own. */
export async function hashPassword(password: string): Promise<string> {
  const { log2N, r, p, keyLength, saltLength } = SCRYPT_COST;
  const salt = randomBytes(saltLength);
  const key = await derive(password, salt, log2N, r, p, keyLength);
  return [PREFIX, log2N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` is the one `stored` was made from; compares in constant time. */
export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [prefix, log2N, r, p, salt, key] = stored.split('$');
  if (prefix !== PREFIX || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const given = await derive(
    password,
    Buffer.from(salt, 'base64url'),
    Number(log2N),
    Number(r),
    Number(p),
    expected.length,
  );
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A hash no password matches, made once: an unknown email is checked against it, so a wrong
 * email takes as long as a wrong password and the answer time does not tell which accounts exist.
 */
export function decoyHash(): Promise<string> {
  return hashPassword(randomBytes(32).toString('base64url'));
}
