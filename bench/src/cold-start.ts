import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICES } from '@glasshouse/kit';
import { freeShopAddresses, pathWithout, waitFor } from '@glasshouse/kit/testing';
import { ROOT } from './system.js';

export interface ColdStart {
  /** Seconds from the spawn to each service's "<name> is ready" line, in the order they came. */
  readonly readyAt: readonly { name: string; seconds: number }[];
  /** What the runner printed: "Glasshouse is ready in N s" (from its own start to every /readyz). */
  readonly runnerSeconds: number;
  /** From spawning `node tools/run/dist/main.js` to that line on its stdout. */
  readonly wallSeconds: number;
}

const READY_LINE = /Glasshouse is ready in ([\d.]+) s/;
const SERVICE_READY = /(\w+) is ready$/gm;

/**
 * Cold start of the embedded shop as `npm start` runs it (LOADGEN=off, fresh PGlite folder,
 * no Prometheus), on free ports so that nothing else on the machine is disturbed.
 */
export async function measureColdStart(timeoutMs = 60_000): Promise<ColdStart> {
  const dataDir = mkdtempSync(join(tmpdir(), 'glasshouse-cold-'));
  const env: Record<string, string | undefined> = {
    ...process.env,
    PATH: pathWithout(),
    LOADGEN: 'off',
    PGLITE_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    NO_COLOR: '1',
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
    DATABASE_URL: '',
    REDIS_URL: '',
  };
  Object.assign(env, (await freeShopAddresses(SERVICES)).env);
  const started = performance.now();
  const runner = spawn(process.execPath, [join(ROOT, 'tools', 'run', 'dist', 'main.js')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let readyAt: number | undefined;
  const services: { name: string; seconds: number }[] = [];
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    output += text;
    const now = (performance.now() - started) / 1000;
    for (const match of text.matchAll(SERVICE_READY)) services.push({ name: match[1] ?? '?', seconds: now });
    if (readyAt === undefined && READY_LINE.test(output)) readyAt = performance.now();
  };
  runner.stdout.on('data', onData);
  runner.stderr.on('data', onData);
  const exited = new Promise<void>((resolve) => runner.once('exit', () => resolve()));
  try {
    const runnerSeconds = await waitFor(
      () => {
        if (runner.exitCode !== null) throw new Error(`the runner exited early:\n${output.slice(-2000)}`);
        const match = READY_LINE.exec(output);
        return match ? Number(match[1]) : undefined;
      },
      { timeoutMs, intervalMs: 10, what: 'the runner to print "ready in"' },
    );
    return {
      runnerSeconds,
      wallSeconds: ((readyAt ?? performance.now()) - started) / 1000,
      readyAt: services,
    };
  } finally {
    if (runner.exitCode === null) runner.kill('SIGTERM');
    const killer = setTimeout(() => runner.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(killer);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
