/**
 * The health checks of the registry's providers: one `check()` under a 5 s limit, the periodic check
 * of the providers whose health gates availability, and the timers of both (stopped at shutdown).
 */
import type { LoggerService } from '@nestjs/common';
import type { ConnectorContext } from '@parley/connector-sdk';
import { errorMessage, type ProviderHealth } from '@parley/protocol';
import { nowIso } from '../util/time';
import { gated, isUsable, type ProviderState, refreshProviderState } from './provider-state';

export const CHECK_TIMEOUT_MS = 5000;

export class ProviderHealthChecks {
  private interval: NodeJS.Timeout | null = null;
  /** Time limits of running checks. */
  private readonly limits = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    /** The context a check runs with (current settings). */
    private readonly contextOf: (state: ProviderState) => ConnectorContext,
    /** Called when a background check made a provider usable or unusable. */
    private readonly changed: () => void,
    private readonly logger: Pick<LoggerService, 'log' | 'warn'>,
  ) {}

  /** Checks the gated providers now, then every `intervalSeconds` (0: only now). */
  start(states: () => Iterable<ProviderState>, intervalSeconds: number): void {
    if (intervalSeconds > 0) {
      this.interval = setInterval(() => this.checkGated(states()), intervalSeconds * 1000);
      this.interval.unref();
    }
    this.checkGated(states());
  }

  /** No more checks; the running ones' results are dropped. */
  stop(): void {
    this.stopped = true;
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
    this.limits.forEach((timer) => clearTimeout(timer));
    this.limits.clear();
  }

  /** Background check of every active, configured provider whose health gates availability. */
  private checkGated(states: Iterable<ProviderState>): void {
    for (const state of states) {
      if (!gated(state) || !state.active || state.configured !== true || state.checking > 0) continue;
      void this.run(state).then((changed) => {
        if (changed) this.changed();
      });
    }
  }

  /**
   * Runs `check()` of an active, configured provider (5 s limit) and keeps the result, unless the
   * settings changed meanwhile (a newer check follows). Answers whether the provider became usable or
   * unusable. Never throws.
   */
  async run(state: ProviderState): Promise<boolean> {
    refreshProviderState(state);
    const check = state.definition.check;
    if (!state.active || state.configured !== true || !check) return false;
    const revision = state.revision;
    state.checking++;
    let timer: NodeJS.Timeout | undefined;
    let result: ProviderHealth;
    try {
      const answer = await Promise.race([
        Promise.resolve(check(this.contextOf(state))),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)),
            CHECK_TIMEOUT_MS,
          );
          this.limits.add(timer);
        }),
      ]);
      result = {
        status: answer.ok ? 'ok' : 'error',
        reason: answer.ok ? (answer.detail ?? null) : answer.reason,
        checkedAt: nowIso(),
      };
    } catch (error) {
      result = { status: 'error', reason: `check failed: ${errorMessage(error)}`, checkedAt: nowIso() };
    } finally {
      if (timer) {
        clearTimeout(timer);
        this.limits.delete(timer);
      }
      state.checking--;
    }
    if (this.stopped || state.revision !== revision) return false;
    const before = isUsable(state);
    state.lastCheck = result;
    refreshProviderState(state);
    const after = isUsable(state);
    if (before === after) return false;
    const type = state.definition.type;
    if (after) this.logger.log(`Provider ${type} is healthy again: its call buttons are back`);
    else this.logger.warn(`Provider ${type} failed its health check (${result.reason}): no call buttons`);
    return true;
  }
}
