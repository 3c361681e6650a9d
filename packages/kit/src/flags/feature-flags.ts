import { randomUUID } from 'node:crypto';
import { FlagdProvider } from '@openfeature/flagd-provider';
import type { Client, JsonValue, Logger as OpenFeatureLogger } from '@openfeature/server-sdk';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import type { Logger } from 'pino';
import type { Gauge } from 'prom-client';
import type { EnvReader } from '../config.js';
import type { ServiceMetrics } from '../metrics.js';
import type { ScenarioValues } from './flags-file.js';
import type { ScenarioName } from './scenarios.js';
import { SCENARIO_NAMES } from './scenarios.js';

/**
 * What a service asks where a failure can happen. Answers come from memory, kept current by the
 * provider's change events, so an off scenario costs one map lookup and no await.
 */
export interface FeatureFlags {
  isOn(scenario: ScenarioName): boolean;
  /** On for a game day: whatever tells of the flag itself (its gauge, its log lines) stays quiet. */
  isHidden(scenario: ScenarioName): boolean;
  /** A numeric parameter of a scenario that is on (its default when the flag does not say). */
  number(scenario: ScenarioName, parameter: string, fallback: number): number;
  /** A text parameter (a product id, a route). */
  text(scenario: ScenarioName, target: string, fallback: string): string;
}

/** Where a service's flags come from. */
export type FlagSource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'flagd'; readonly host: string; readonly port: number }
  | { readonly kind: 'none' };

/** FLAGS_FILE (in-process over a file) wins over FLAGD_HOST (in-process, synced from flagd). */
export function flagSourceFrom(env: EnvReader): FlagSource {
  const path = env.optionalString('FLAGS_FILE');
  if (path) return { kind: 'file', path };
  const host = env.optionalString('FLAGD_HOST');
  if (host) return { kind: 'flagd', host, port: env.int('FLAGD_PORT', 8015, { min: 1, max: 65_535 }) };
  return { kind: 'none' };
}

/** Flags held in memory, set by whoever holds them: the default when no source is configured, and tests'. */
export class FixedFeatureFlags implements FeatureFlags {
  private readonly on = new Map<ScenarioName, ScenarioValues>();
  private readonly hidden = new Set<ScenarioName>();

  set(scenario: ScenarioName, values: ScenarioValues | undefined, hidden = false): void {
    if (values) this.on.set(scenario, values);
    else this.on.delete(scenario);
    if (values && hidden) this.hidden.add(scenario);
    else this.hidden.delete(scenario);
  }

  isOn(scenario: ScenarioName): boolean {
    return this.on.has(scenario);
  }

  isHidden(scenario: ScenarioName): boolean {
    return this.hidden.has(scenario);
  }

  number(scenario: ScenarioName, parameter: string, fallback: number): number {
    const value = this.on.get(scenario)?.[parameter];
    return typeof value === 'number' ? value : fallback;
  }

  text(scenario: ScenarioName, target: string, fallback: string): string {
    const value = this.on.get(scenario)?.[target];
    return typeof value === 'string' ? value : fallback;
  }
}

const isValues = (value: JsonValue): value is Record<string, number | string> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * OpenFeature's flagd provider in in-process mode, each service its own domain. A flags file
 * that does not parse is rejected by the provider, which keeps evaluating the last good one.
 */
export class FlagdFeatureFlags extends FixedFeatureFlags {
  private readonly domain = `glasshouse-${randomUUID()}`;
  private readonly provider: FlagdProvider;
  private readonly client: Client;
  private refreshing: Promise<void> = Promise.resolve();
  /** Settles once the first flags are read (or could not be: then every scenario stays off). */
  readonly ready: Promise<void>;

  constructor(
    source: Exclude<FlagSource, { kind: 'none' }>,
    private readonly logger: Logger,
    metrics: ServiceMetrics,
  ) {
    super();
    const providerLogger: OpenFeatureLogger = {
      error: (...args: unknown[]) =>
        logger.error({ 'error.message': args.map(String).join(' ') }, 'feature flag provider error'),
      warn: (...args: unknown[]) =>
        logger.warn({ 'error.message': args.map(String).join(' ') }, 'feature flag provider warning'),
      info: () => undefined,
      debug: () => undefined,
    };
    this.provider = new FlagdProvider(
      source.kind === 'file'
        ? { resolverType: 'in-process', offlineFlagSourcePath: source.path }
        : { resolverType: 'in-process', host: source.host, port: source.port },
      providerLogger,
    );
    this.client = OpenFeature.getClient(this.domain);
    const state = metrics.featureFlagState;
    const refresh = () => {
      this.refreshing = this.refreshing.then(() => this.refresh(state));
      return this.refreshing;
    };
    this.client.addHandler(ProviderEvents.ConfigurationChanged, () => void refresh());
    this.ready = OpenFeature.setProviderAndWait(this.domain, this.provider).then(
      refresh,
      (error: unknown) => {
        logger.error(
          { 'error.message': error instanceof Error ? error.message : String(error) },
          'feature flag provider error',
        );
      },
    );
  }

  private async refresh(state: Gauge<'flag'>): Promise<void> {
    for (const scenario of SCENARIO_NAMES) {
      const details = await this.client.getObjectDetails(scenario, {});
      const wasOn = this.isOn(scenario);
      const wasHidden = this.isHidden(scenario);
      const on = details.variant === 'on' && isValues(details.value);
      const hidden = on && details.flagMetadata['hidden'] === true;
      this.set(scenario, on && isValues(details.value) ? details.value : undefined, hidden);
      // A game day's players find the failure by its symptoms, not by the flag's own signals.
      state.set({ flag: scenario }, on && !hidden ? 1 : 0);
      if (wasOn !== on && !hidden && !wasHidden) {
        this.logger.info(
          { 'feature_flag.key': scenario, 'feature_flag.variant': on ? 'on' : 'off' },
          'feature flag changed',
        );
      }
    }
  }

  async close(): Promise<void> {
    await this.ready;
    await this.provider.onClose();
  }
}

/** The flags of a service from its environment; all off when none is configured. */
export function openFeatureFlags(
  env: EnvReader,
  logger: Logger,
  metrics: ServiceMetrics,
): { flags: FeatureFlags; ready: Promise<void>; close(): Promise<void> } {
  const source = flagSourceFrom(env);
  if (source.kind === 'none') {
    return { flags: new FixedFeatureFlags(), ready: Promise.resolve(), close: () => Promise.resolve() };
  }
  const flags = new FlagdFeatureFlags(source, logger, metrics);
  return { flags, ready: flags.ready, close: () => flags.close() };
}
