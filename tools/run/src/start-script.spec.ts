import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SHOP_NODE_FLAGS } from '@glasshouse/kit';
import { runnerArguments } from '@glasshouse/kit/testing';

const ROOT = join(__dirname, '..', '..', '..');

describe('npm start', () => {
  it('runs the runner with the node flags the bench and the tests use', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const node = /\bnode (.+)$/.exec(manifest.scripts.start ?? '')?.[1]?.split(' ');
    assert.deepEqual(node, [...SHOP_NODE_FLAGS, 'tools/run/dist/main.js']);
    assert.deepEqual(runnerArguments('/repo'), [...SHOP_NODE_FLAGS, '/repo/tools/run/dist/main.js']);
  });
});
