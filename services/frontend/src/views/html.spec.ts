import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html, raw, safeUrl } from './html.js';

describe('html', () => {
  it('escapes interpolated strings', () => {
    const name = `<b class="x">Tom & Jerry's</b>`;
    assert.equal(
      html`<p>${name}</p>`.toString(),
      '<p>&lt;b class=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;</p>',
    );
  });

  it('keeps SafeHtml and joins arrays', () => {
    const items = ['a', '<b>'].map((s) => html`<li>${s}</li>`);
    const list = html`<ul>
        ${items}
      </ul>
      ${raw('<hr>')}`.toString();
    // Prettier lays out html`` templates, so compare with the whitespace between tags removed.
    assert.equal(list.replace(/>\s+</g, '><'), '<ul><li>a</li><li>&lt;b&gt;</li></ul><hr>');
  });

  it('renders undefined, null and false as nothing, and numbers as text', () => {
    assert.equal(html`[${undefined}${null}${false}${0}]`.toString(), '[0]');
  });

  it('leaves plain text untouched', () => {
    const text = 'nothing to escape';
    assert.equal(escapeHtml(text), text);
  });
});

describe('safeUrl', () => {
  it('allows site-relative and http(s) URLs only', () => {
    assert.equal(safeUrl('/product/1'), '/product/1');
    assert.equal(safeUrl('https://example.com/x'), 'https://example.com/x');
    assert.equal(safeUrl('javascript:alert(1)'), '#');
    assert.equal(safeUrl('//evil.example'), '#');
    assert.equal(safeUrl('/\\evil.example'), '#');
  });
});
