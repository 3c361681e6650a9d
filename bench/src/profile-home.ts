import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envReader } from '@glasshouse/kit/core';
import { readBenchConfig } from './config.js';
import type { CpuProfile } from './cpu-profile.js';
import { hottestFunctions } from './cpu-profile.js';
import { HttpTarget } from './http-client.js';
import { runClosedLoop } from './load.js';
import { homePage } from './shop-operations.js';
import { ROOT, startShop } from './system.js';
import { OtlpReceiver } from '@glasshouse/kit/testing';

/**
 * A CPU profile of the frontend under home-page load (telemetry exported, as in the main run):
 * `node --conditions=development --import tsx bench/src/profile-home.ts`. Prints the functions
 * with the most self time; BENCH_PROFILE_DIR keeps the .cpuprofile (open it in Chrome DevTools).
 */
async function main(): Promise<void> {
  const config = readBenchConfig(process.env, join(ROOT, 'bench', 'results'));
  const keep = envReader().optionalString('BENCH_PROFILE_DIR');
  const dir = keep || mkdtempSync(join(tmpdir(), 'glasshouse-profile-'));
  const sink = new OtlpReceiver({ keep: false });
  const endpoint = await sink.start();
  try {
    const shop = await startShop({
      telemetry: 'export',
      otlpEndpoint: endpoint,
      nodeArgs: { frontend: ['--cpu-prof', `--cpu-prof-dir=${dir}`] },
    });
    const web = new HttpTarget(shop.url, config.httpConcurrency);
    const shape = {
      concurrency: config.httpConcurrency,
      warmupSeconds: config.warmupSeconds,
      measureSeconds: config.measureSeconds,
    };
    const m = await runClosedLoop('home', shape, homePage(web)).finally(async () => {
      web.close();
      await shop.stop();
    });
    process.stdout.write(`home: ${m.rps.toFixed(1)}/s, p99 ${m.p99Ms.toFixed(1)} ms, ${m.errors} errors\n`);
  } finally {
    await sink.stop();
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`the frontend wrote no profile into ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  for (const hot of hottestFunctions(profile, 25)) {
    process.stdout.write(
      `${(hot.share * 100).toFixed(1).padStart(5)} %  ${hot.selfMs.toFixed(0).padStart(6)} ms  ${hot.where}\n`,
    );
  }
  if (keep) process.stdout.write(`profile: ${join(dir, file)}\n`);
  else rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
