import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');
const SCRIPT = join(ROOT, 'deploy', 'k6', 'shop.ts');
const read = (path: string) => readFileSync(path, 'utf8');

describe('the k6 script', () => {
  it('type-checks against the k6 API', () => {
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    const project = join(ROOT, 'deploy', 'k6', 'tsconfig.json');
    try {
      execFileSync(tsc, ['-p', project], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      assert.fail(`tsc -p deploy/k6/tsconfig.json failed:\n${stdout}${stderr}`);
    }
  });

  it('walks the journeys of the shared table, not a copy of its own', () => {
    const script = read(SCRIPT);
    assert.match(script, /from '\.\.\/\.\.\/services\/loadgen\/src\/journeys\.ts';/);
    for (const name of ['JOURNEYS', 'pickJourney', 'planJourney', 'followUp', 'checkoutResult'])
      assert.match(script, new RegExp(`\\b${name}\\(|\\b${name}\\b,`), `uses ${name}`);
    for (const copied of ['/product/', '/cart/checkout', 'credit_card_number', 'browseProduct', 'OLJCESPC7Z'])
      assert.ok(!script.includes(copied), `defines no journey data of its own (${copied})`);
  });

  it('ramps, keeps sessions, marks requests synthetic and sets the thresholds', () => {
    const script = read(SCRIPT);
    assert.match(script, /stages: \[/);
    assert.match(script, /noCookiesReset: true/);
    assert.match(script, /http_req_failed: \['rate<0\.01'\]/);
    assert.match(script, /http_req_duration: \['p\(95\)<500'\]/);
    assert.match(script, /headers: \{ baggage: SYNTHETIC_BAGGAGE \}/);
    assert.match(script, /const SYNTHETIC_BAGGAGE = 'synthetic_request=true';/);
    assert.match(script, /jar,/);
  });

  it('imports a journey table that k6 can load as it is: no imports, nothing of Node', () => {
    const table = read(join(__dirname, 'journeys.ts'));
    assert.doesNotMatch(table, /^\s*import\s/m);
    assert.doesNotMatch(table, /\brequire\(|\bprocess\.|\bBuffer\b|\bnode:/);
  });
});
