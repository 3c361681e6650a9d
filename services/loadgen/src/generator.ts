import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@glasshouse/kit';
import type { RunLimits } from './config.js';
import { ShopBackoff } from './backoff.js';
import { Gate } from './gate.js';
import type { Journey, Random } from './journeys.js';
import { meanStepsPerJourney, pickJourney } from './journeys.js';
import type { TrafficCounts, TrafficMetrics } from './metrics.js';
import type { Settings } from './settings.js';
import { Shopper } from './shopper.js';

export type GeneratorState = 'ready' | 'running' | 'paused' | 'finishing' | 'finished' | 'stopped';

/** What GET /status shows. */
export interface GeneratorStatus {
  state: GeneratorState;
  /** closed: each shopper goes again when done; open: journeys start at a fixed rate. */
  mode: 'closed' | 'open';
  target: string;
  settings: Settings;
  limits: RunLimits;
  elapsedS: number;
  /** Shoppers walking, wanted now (ramp applied), and waiting while paused. */
  shoppers: { active: number; wanted: number; waiting: number };
  rate: { wanted: number };
  counts: TrafficCounts;
}

export interface GeneratorOptions {
  readonly target: URL;
  readonly settings: Readonly<Settings>;
  readonly limits: RunLimits;
  readonly journeys: readonly Journey[];
  readonly metrics: TrafficMetrics;
  readonly logger: Logger;
  readonly random: Random;
  /** How often the load is adjusted to the settings and the ramp. */
  readonly tickMs?: number;
  /** The first and the longest pause while the shop is down (250 ms and 10 s by default). */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
}

/** A simulated shopper and what it is doing: a closed-loop worker, or one open-loop journey. */
interface Slot {
  readonly shopper: Shopper;
  role: 'idle' | 'worker' | 'visit';
  retiring: boolean;
}

/** The share of the full load at `elapsedS`: rising over the ramp, falling in a duration's last ramp. */
export function rampShare(elapsedS: number, limits: RunLimits): number {
  if (limits.rampS <= 0) return 1;
  const down = limits.durationS > 0 ? (limits.durationS - elapsedS) / limits.rampS : 1;
  return Math.max(0, Math.min(1, elapsedS / limits.rampS, down));
}

/**
 * Runs simulated shoppers: a closed loop of N shoppers, or journeys started at a request rate
 * (open loop, at most N shoppers busy, the rest counted as dropped), with ramps, pause and
 * resume, settings changed on the fly, and an end after a duration or a number of journeys.
 */
export class TrafficGenerator {
  private readonly settings: Settings;
  private readonly gate = new Gate();
  private readonly abort = new AbortController();
  private readonly slots: Slot[] = [];
  private readonly underway = new Set<Promise<void>>();
  private readonly meanSteps: number;
  private started = false;
  private ending: 'finishing' | 'finished' | 'stopped' | undefined;
  private elapsedS = 0;
  private journeysStarted = 0;
  private run: Promise<void> = Promise.resolve();

  private readonly backoff: ShopBackoff;

  constructor(private readonly options: GeneratorOptions) {
    this.settings = { ...options.settings };
    this.meanSteps = meanStepsPerJourney(options.journeys);
    this.backoff = new ShopBackoff({ random: options.random, ...options.backoff });
    // Every shopper waits on this signal (think time, pause, backoff): as many listeners as shoppers.
    setMaxListeners(0, this.abort.signal);
  }

  /** Starts the run in the background; finished() tells when it ends. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.run = this.conduct();
  }

  /** Resolves once the run has ended: its duration or journeys done, or stop() called. */
  finished(): Promise<void> {
    return this.run;
  }

  pause(): GeneratorStatus {
    if (!this.ending) this.gate.close();
    return this.status();
  }

  resume(): GeneratorStatus {
    this.gate.release();
    return this.status();
  }

  /** Changes settings while running; the next tick applies shopper and rate changes. */
  configure(patch: Partial<Settings>): GeneratorStatus {
    Object.assign(this.settings, patch);
    return this.status();
  }

  /** Ends the run now: requests under way are cancelled, as a leaving shopper's would be. */
  async stop(): Promise<void> {
    if (!this.ending || this.ending === 'finishing') this.ending = 'stopped';
    this.abort.abort();
    await this.run;
  }

  /** Every session id the shop gave a shopper of this run. */
  sessionIds(): string[] {
    return this.slots.flatMap((slot) => slot.shopper.sessionIds());
  }

  status(): GeneratorStatus {
    const share = rampShare(this.elapsedS, this.options.limits);
    const open = this.settings.rate > 0;
    const paused = !this.gate.isOpen;
    return {
      state: this.ending ?? (paused ? 'paused' : this.started ? 'running' : 'ready'),
      mode: open ? 'open' : 'closed',
      target: this.options.target.origin,
      settings: { ...this.settings },
      limits: this.options.limits,
      elapsedS: Math.round(this.elapsedS * 1000) / 1000,
      shoppers: {
        active: this.active(),
        wanted: open ? this.settings.shoppers : Math.ceil(this.settings.shoppers * share),
        waiting: this.gate.waiting,
      },
      rate: { wanted: open ? this.settings.rate * share : 0 },
      counts: this.options.metrics.counts(),
    };
  }

  private async conduct(): Promise<void> {
    const { limits, logger } = this.options;
    const signal = this.abort.signal;
    let last = performance.now();
    let arrivals = 0;
    while (!signal.aborted && !this.limitReached()) {
      const now = performance.now();
      const seconds = (now - last) / 1000;
      last = now;
      if (this.gate.isOpen) {
        this.elapsedS += seconds;
        const share = rampShare(this.elapsedS, limits);
        if (this.settings.rate > 0) {
          this.fitWorkers(0);
          arrivals += ((this.settings.rate * share) / this.meanSteps) * seconds;
          for (; arrivals >= 1; arrivals--) this.arrive();
        } else {
          arrivals = 0;
          this.fitWorkers(Math.ceil(this.settings.shoppers * share));
        }
      }
      await sleep(this.options.tickMs ?? 100, undefined, { signal }).catch(() => undefined);
    }
    this.ending ??= 'finishing';
    this.fitWorkers(0);
    while (this.underway.size) await Promise.all(this.underway);
    if (this.ending === 'finishing') this.ending = 'finished';
    logger.info({ counts: this.options.metrics.counts(), state: this.ending }, 'traffic run ended');
  }

  private limitReached(): boolean {
    const { durationS, iterations } = this.options.limits;
    return (
      (durationS > 0 && this.elapsedS >= durationS) || (iterations > 0 && this.journeysStarted >= iterations)
    );
  }

  /** Counts a journey about to start; false when the run's journeys are all taken. */
  private claimJourney(): boolean {
    const { iterations } = this.options.limits;
    if (iterations > 0 && this.journeysStarted >= iterations) return false;
    this.journeysStarted++;
    return true;
  }

  private nextJourney(): Journey {
    return pickJourney(this.options.journeys, this.options.random);
  }

  /** Makes `wanted` closed-loop shoppers walk: calls back retiring ones, starts or retires others. */
  private fitWorkers(wanted: number): void {
    const workers = this.slots.filter((slot) => slot.role === 'worker');
    let staying = workers.filter((slot) => !slot.retiring).length;
    for (const slot of workers) {
      if (staying >= wanted) break;
      if (!slot.retiring) continue;
      slot.retiring = false;
      staying++;
    }
    for (; staying < wanted; staying++) {
      const slot = this.idleSlot(Infinity);
      if (!slot) break;
      slot.role = 'worker';
      this.track(this.work(slot));
    }
    for (const slot of workers.reverse()) {
      if (staying <= wanted) break;
      if (slot.retiring) continue;
      slot.retiring = true;
      staying--;
    }
    this.options.metrics.shoppers(this.active());
  }

  private async work(slot: Slot): Promise<void> {
    const signal = this.abort.signal;
    try {
      while (!slot.retiring && !signal.aborted) {
        await this.gate.pass(signal);
        if (slot.retiring || !this.claimJourney()) break;
        await slot.shopper.walk(this.nextJourney(), signal);
      }
    } catch (error) {
      if (!signal.aborted) this.options.logger.error({ err: error }, 'a shopper stopped on an error');
    } finally {
      slot.role = 'idle';
      slot.retiring = false;
      this.options.metrics.shoppers(this.active());
    }
  }

  /** One open-loop arrival: an idle shopper starts a journey, or the journey is dropped. */
  private arrive(): void {
    const slot = this.idleSlot(this.settings.shoppers);
    if (!slot) {
      this.options.metrics.journeyDropped();
      return;
    }
    if (!this.claimJourney()) return;
    slot.role = 'visit';
    this.options.metrics.shoppers(this.active());
    const signal = this.abort.signal;
    const visit = slot.shopper
      .walk(this.nextJourney(), signal)
      .catch((error: unknown) => {
        if (!signal.aborted) this.options.logger.error({ err: error }, 'a journey stopped on an error');
      })
      .finally(() => {
        slot.role = 'idle';
        this.options.metrics.shoppers(this.active());
      });
    this.track(visit);
  }

  /** An idle shopper among the first `limit`, made when there are fewer. */
  private idleSlot(limit: number): Slot | undefined {
    const idle = this.slots.find((slot, index) => index < limit && slot.role === 'idle');
    if (idle || this.slots.length >= limit) return idle;
    const { target, metrics, logger, random } = this.options;
    const gate = (signal: AbortSignal) => this.gate.pass(signal);
    const backoff = this.backoff;
    const shopper = new Shopper({ target, settings: this.settings, random, metrics, logger, gate, backoff });
    const slot: Slot = { shopper, role: 'idle', retiring: false };
    this.slots.push(slot);
    return slot;
  }

  private active(): number {
    return this.slots.filter((slot) => slot.role !== 'idle').length;
  }

  private track(work: Promise<void>): void {
    this.underway.add(work);
    void work.finally(() => this.underway.delete(work));
  }
}
