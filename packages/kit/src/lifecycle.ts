import type { Logger } from 'pino';
import { envReader } from './config.js';
import type { Tracing } from './telemetry/tracing.js';
import { inServiceThread, onStopRequest } from './thread.js';

interface ShutdownStep {
  name: string;
  run(): Promise<void>;
}

/**
 * Graceful shutdown in reverse order of start: stop accepting, drain in-flight work, close
 * stores, flush telemetry, exit. Each step gets a time limit so a stuck one cannot keep the
 * process alive. Idempotent: a second signal while stopping does not start over.
 */
export class Lifecycle {
  private readonly steps: ShutdownStep[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly tracing?: Tracing,
    private readonly stepTimeoutMs = 10_000,
  ) {}

  /** Registers something to stop; later registrations stop first. */
  onShutdown(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run: async () => run() });
  }

  /**
   * SIGTERM and SIGINT stop the service; an uncaught exception is logged and stops it with
   * code 1. A service running as a worker thread gets no signals: the runner posts it a stop
   * message instead, and its exit ends the thread, not the process.
   */
  installSignalHandlers(): void {
    const stop = (signal: string, code: number) => {
      this.logger.info({ signal }, 'shutting down');
      void this.shutdown().then(() => process.exit(code));
    };
    if (inServiceThread()) {
      onStopRequest(() => stop('stop message', 0));
    } else {
      process.once('SIGTERM', () => stop('SIGTERM', 0));
      process.once('SIGINT', () => stop('SIGINT', 0));
      // A supervisor that dies closes our stdin (STOP_WITH_STDIN) and our stdout: stop, and do
      // not let a write to the broken pipe turn into a crash loop.
      process.stdout.on('error', () => undefined);
      if (envReader().bool('STOP_WITH_STDIN', false)) {
        process.stdin.on('end', () => stop('stdin closed', 0)).on('error', () => stop('stdin closed', 0));
        process.stdin.resume();
      }
    }
    process.on('uncaughtException', (error) => {
      this.logger.fatal({ err: error }, 'uncaught exception');
      stop('uncaughtException', 1);
    });
    process.on('unhandledRejection', (reason) => {
      // A bug, but not a reason to drop every other request in flight.
      this.logger.error({ err: reason }, 'unhandled promise rejection');
    });
  }

  shutdown(): Promise<void> {
    this.stopping ??= this.runSteps();
    return this.stopping;
  }

  private async runSteps(): Promise<void> {
    for (const step of [...this.steps].reverse()) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.logger.warn({ step: step.name }, 'shutdown step timed out');
          resolve();
        }, this.stepTimeoutMs);
      });
      try {
        await Promise.race([step.run(), limit]);
      } catch (error) {
        this.logger.error({ err: error, step: step.name }, 'shutdown step failed');
      } finally {
        clearTimeout(timer);
      }
    }
    this.logger.info('stopped');
    await this.tracing?.shutdown();
  }
}
