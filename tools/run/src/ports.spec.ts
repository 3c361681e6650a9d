import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { freePort } from '@glasshouse/kit/testing';
import { portHolder, portInUse, takenMessage } from './ports.js';

describe('a port left taken', () => {
  it('is named with the process that holds it', async () => {
    const port = await freePort();
    assert.equal(await takenMessage(`127.0.0.1:${port}`, port), `127.0.0.1:${port} is already in use`);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      assert.equal(await portInUse('127.0.0.1', port), true);
      assert.match((await portHolder(port)) ?? '', new RegExp(`^pid ${process.pid} \\(\\S+\\)$`));
      assert.match(
        await takenMessage(`127.0.0.1:${port}`, port),
        new RegExp(`^127\\.0\\.0\\.1:${port} is already in use by pid ${process.pid} `),
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
