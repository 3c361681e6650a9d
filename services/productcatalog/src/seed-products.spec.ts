import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ONLINE_BOUTIQUE_PRODUCT_IDS } from '@glasshouse/kit/testing';
import { SEED_PRODUCTS } from './seed-products.js';

const PICTURE_PREFIX = '/static/img/products/';
const PICTURE_DIR = path.join(__dirname, '../../frontend/static/img/products');

describe('SEED_PRODUCTS', () => {
  it('keeps the Online Boutique ids, so existing load scripts and links still resolve', () => {
    const ids = new Set(SEED_PRODUCTS.map((product) => product.id));
    for (const id of ONLINE_BOUTIQUE_PRODUCT_IDS) {
      assert.ok(ids.has(id), `missing Online Boutique id ${id}`);
    }
  });

  it('has 20 products with unique ten-character ids', () => {
    assert.equal(SEED_PRODUCTS.length, 20);
    const ids = SEED_PRODUCTS.map((product) => product.id);
    assert.equal(new Set(ids).size, ids.length, 'ids must be unique');
    for (const id of ids) {
      assert.match(id, /^[A-Z0-9]{10}$/);
    }
  });

  it('has a name and a description for every product', () => {
    for (const product of SEED_PRODUCTS) {
      assert.ok(product.name.trim().length > 0, `${product.id} has no name`);
      assert.ok(product.description.trim().length > 0, `${product.id} has no description`);
    }
  });

  it('prices every product positively with whole units and nanos in range', () => {
    for (const { id, priceUsd } of SEED_PRODUCTS) {
      assert.ok(Number.isInteger(priceUsd.units), `${id}: units must be an integer`);
      assert.ok(Number.isInteger(priceUsd.nanos), `${id}: nanos must be an integer`);
      assert.ok(priceUsd.units >= 0, `${id}: units must not be negative`);
      assert.ok(priceUsd.nanos >= 0 && priceUsd.nanos <= 999_999_999, `${id}: nanos out of range`);
      assert.ok(priceUsd.units > 0 || priceUsd.nanos > 0, `${id}: price must be positive`);
    }
  });

  it('points every picture at an image that exists in the frontend', () => {
    for (const { id, picture } of SEED_PRODUCTS) {
      assert.ok(picture.startsWith(PICTURE_PREFIX), `${id}: picture must live under ${PICTURE_PREFIX}`);
      const file = path.join(PICTURE_DIR, picture.slice(PICTURE_PREFIX.length));
      assert.ok(existsSync(file), `${id}: no image at ${file}`);
    }
  });

  it('tags every product with at least one lowercase one-word category', () => {
    for (const { id, categories } of SEED_PRODUCTS) {
      assert.ok(categories.length > 0, `${id} has no category`);
      assert.equal(new Set(categories).size, categories.length, `${id} repeats a category`);
      for (const category of categories) {
        assert.match(category, /^[a-z]+$/);
      }
    }
  });
});
