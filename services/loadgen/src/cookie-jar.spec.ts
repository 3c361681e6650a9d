import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CookieJar } from './cookie-jar.js';

describe('a shopper’s cookie jar', () => {
  it('keeps the cookies the shop sets and sends them back', () => {
    const jar = new CookieJar();
    assert.equal(jar.header(), undefined);
    jar.store([
      'shop_session-id=3f2b9c1e-0d7a-4c55-9a51-2f5f0e9d1c11; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax',
      'shop_currency=EUR; Path=/; HttpOnly; SameSite=Lax',
    ]);
    assert.equal(jar.get('shop_session-id'), '3f2b9c1e-0d7a-4c55-9a51-2f5f0e9d1c11');
    assert.equal(jar.header(), 'shop_session-id=3f2b9c1e-0d7a-4c55-9a51-2f5f0e9d1c11; shop_currency=EUR');
    jar.store(['shop_currency=JPY; Path=/']);
    assert.equal(jar.get('shop_currency'), 'JPY');
  });

  it('forgets cookies the shop clears, by an empty value, Max-Age=0 or a past Expires', () => {
    const jar = new CookieJar();
    jar.store(['a=1', 'b=2', 'c=3', 'd=4']);
    jar.store([
      'a=; Path=/',
      'b=2; Max-Age=0',
      'c=3; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
      'd=5; Expires=Fri, 01 Jan 2100 00:00:00 GMT',
    ]);
    assert.equal(jar.header(), 'd=5');
  });

  it('ignores a header that is not a cookie', () => {
    const jar = new CookieJar();
    jar.store(['', '=nameless', 'novalue']);
    assert.equal(jar.header(), undefined);
  });
});
