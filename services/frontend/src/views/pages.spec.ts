import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorPage, homePage, productPage } from './pages.js';
import type { Chrome, ProductCard, ProductDetail } from './model.js';

const chrome: Chrome = {
  currencies: ['EUR', 'USD', 'JPY'],
  currentCurrency: 'USD',
  cartSize: 3,
  csrfToken: 'tok',
};

const sunglasses: ProductCard = {
  id: 'OLJCESPC7Z',
  name: 'Sunglasses',
  picture: '/static/img/products/sunglasses.jpg',
  price: { text: '€19.99' },
  categories: ['accessories'],
};
const mug: ProductCard = {
  id: '6E92ZMYYFZ',
  name: 'Mug',
  picture: '/static/img/products/mug.jpg',
  price: { text: '¥1,430' },
  categories: ['kitchen'],
};
const detail: ProductDetail = { ...sunglasses, description: 'Add a modern touch to your outfits.' };

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe('homePage', () => {
  it('escapes product names containing markup and quotes', () => {
    const page = homePage(chrome, [{ ...mug, name: `<script>alert("x")</script> Bob's` }]);
    assert.ok(!page.includes('<script>alert'));
    assert.ok(page.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Bob&#39;s'));
  });

  it('lists every product with its price and a link to its page', () => {
    const page = homePage(chrome, [sunglasses, mug]);
    assert.equal(count(page, 'data-testid="product-card"'), 2);
    for (const product of [sunglasses, mug]) {
      assert.ok(page.includes(`href="/product/${product.id}"`), product.id);
      assert.ok(page.includes(product.name));
      assert.ok(page.includes(product.price.text));
    }
  });

  it('marks only the current currency as selected', () => {
    const page = homePage(chrome, [sunglasses]);
    assert.ok(page.includes('<option value="USD" selected>USD</option>'));
    assert.ok(page.includes('<option value="EUR">EUR</option>'));
    assert.equal(count(page, ' selected>'), 1);
    assert.ok(page.includes('<form class="currency-form" method="post" action="/setCurrency">'));
  });

  it('is a full document with title, viewport, stylesheet and cart size', () => {
    const page = homePage(chrome, []);
    assert.ok(page.startsWith('<!doctype html>'));
    assert.ok(page.includes('<title>Shop · Glasshouse</title>'));
    assert.ok(page.includes('<meta name="viewport"'));
    assert.ok(page.includes('href="/static/css/shop.css"'));
    assert.match(page, /data-testid="cart-size">3</);
  });

  it('renders the ad only when there is one', () => {
    assert.ok(!homePage(chrome, [sunglasses]).includes('data-testid="ad"'));
    const page = homePage(
      { ...chrome, ad: { text: 'Film camera for sale', redirectUrl: '/product/2ZYFJ3GM2N' } },
      [],
    );
    assert.ok(page.includes('data-testid="ad"'));
    assert.ok(page.includes('<a href="/product/2ZYFJ3GM2N" rel="sponsored">Film camera for sale</a>'));
  });

  it('neutralises script URLs in ads', () => {
    const page = homePage({ ...chrome, ad: { text: 'Win', redirectUrl: 'javascript:alert(1)' } }, []);
    assert.ok(!page.includes('javascript:'));
  });

  it('shows a notice and request id when given', () => {
    const page = homePage({ ...chrome, notice: 'Ads are resting', requestId: 'req-42' }, []);
    assert.ok(page.includes('Ads are resting'));
    assert.ok(page.includes('<code>req-42</code>'));
  });
});

describe('productPage', () => {
  it('has an add-to-cart form posting the product id and a quantity of 1 to 10', () => {
    const page = productPage(chrome, detail, [mug]);
    assert.ok(page.includes('<form class="add-to-cart" method="post" action="/cart">'));
    assert.match(page, /<input type="hidden" name="product_id" value="OLJCESPC7Z"\s*\/?>/);
    assert.ok(page.includes('<select name="quantity">'));
    assert.ok(page.includes('<option value="1">1</option>'));
    assert.ok(page.includes('<option value="10">10</option>'));
    assert.ok(!page.includes('<option value="11">'));
    assert.ok(page.includes('data-testid="add-to-cart"'));
    assert.ok(page.includes(detail.description));
    assert.ok(page.includes('<title>Sunglasses · Glasshouse</title>'));
  });

  it('shows recommendations when there are some', () => {
    const page = productPage(chrome, detail, [mug]);
    assert.ok(page.includes('data-testid="recommendations"'));
    assert.ok(page.includes('You may also like'));
    assert.ok(page.includes('href="/product/6E92ZMYYFZ"'));
  });

  it('leaves out the recommendations section when there are none', () => {
    const page = productPage(chrome, detail, []);
    assert.ok(!page.includes('data-testid="recommendations"'));
    assert.ok(!page.includes('You may also like'));
  });
});

describe('errorPage', () => {
  it('shows the status, title and message', () => {
    const page = errorPage(chrome, 400, 'Bad request', 'quantity must be between 1 and 10');
    assert.ok(page.includes('400'));
    assert.ok(page.includes('Bad request'));
    assert.ok(page.includes('data-testid="error-message">quantity must be between 1 and 10</p>'));
    assert.ok(page.includes('data-testid="currency-select"'));
  });

  it('renders only the logo in the header without chrome', () => {
    const page = errorPage(undefined, 503, 'Shop unavailable', 'The catalog is down.');
    assert.ok(page.includes('503'));
    assert.ok(page.includes('The catalog is down.'));
    assert.ok(page.includes('/static/img/logo.svg'));
    assert.ok(!page.includes('currency_code'));
    assert.ok(!page.includes('data-testid="cart-size"'));
  });
});
