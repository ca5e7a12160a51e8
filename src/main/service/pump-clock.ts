/**
 * The pump's local-time rule, kept in step with the clinic's zone at every read of the pump's status
 * (the rule is what the pump uses to show and log local times).
 */
import type { LinkState, PumpClockInfo, SessionRecordEntry } from '../../shared/contract';
import { ruleFromZone } from '../../shared/clinical/zone-rule';
import { describeClockRule } from '../../shared/device-facts/local-clock';
import type { PumpLink } from './pump-link';

export type ClockExchange = <T>(fn: (link: PumpLink) => Promise<T>) => Promise<T>;

export class PumpClock {
  /** What the screens show of the pump's clock this session; null until the first sync. */
  info: PumpClockInfo | null = null;

  reset(): void {
    this.info = null;
  }

  /**
   * Sets the pump's local-time rule from the clinic's zone when it differs (the pump answers whether it
   * changed and logs CLOCK_SET only then); recorded in the session record. A pump that cannot be set (an
   * older one answering NAK UNKNOWN_TYPE) is left on its rule and the screen says so.
   */
  async sync(
    zone: string,
    pumpTime: number,
    withLink: ClockExchange,
    state: () => LinkState,
    note: (request: unknown, result: SessionRecordEntry['result'], detail: unknown) => void,
  ): Promise<void> {
    const { rule, exact } = ruleFromZone(zone, pumpTime);
    try {
      const r = await withLink((l) => l.setClock(rule));
      const described = describeClockRule(rule);
      // Once set in this session it stays "set this session (was ...)" until the rule changes again.
      const earlier = this.info?.changed && this.info.rule === described ? this.info : null;
      this.info = {
        zone,
        rule: described,
        changed: r.changed || earlier !== null,
        previous: earlier ? earlier.previous : describeClockRule(r.previous),
        exact,
      };
      note({ clock: zone }, 'ok', { ...this.info, ruleSent: rule });
    } catch (err) {
      if (state() !== 'connected') throw err;
      const message = err instanceof Error ? err.message : String(err);
      this.info = { zone, rule: '', changed: false, previous: '', exact, error: message };
      note({ clock: zone }, 'error', { message });
    }
  }
}
