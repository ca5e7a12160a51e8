/**
 * An independent reference for the model-based test: what an SM2-20 pump should be after a history of
 * events, written from the device's specification (docs/clinical-model.md, the profile's figures restated
 * here) without the machine's code. It covers the events the model-based test samples: one continuous
 * therapy at a time, single and patient boluses, refills without withdrawal, stop/resume, abandoned
 * updates, silences, and the bench faults (catheter, motor stall, memory errors, battery).
 *
 * Volumes are closed-form: the motor delivers floor(rate x seconds / 1 day) of basal since the last program
 * update (the pump restarts its stroke accounting at each update) and floor(volume x elapsed / duration) of
 * a bolus, so each threshold's crossing second is solved for, never searched by stepping.
 */
import type { AlarmCode, DeviceFault, ProgramChange } from '../../src/device';
import type { PumpEvent } from '../../src/device/machine';

const DAY = 86_400;
const YEAR = 365 * DAY;
/** SM2-20, as documented: 20 mL reservoir above a 1 mL residual volume; low alarm 2 mL; empty at 0. */
const CAPACITY_NL = 20_000_000;
const RESIDUAL_NL = 1_000_000;
const LOW_DEFAULT_NL = 2_000_000;
const SERVICE_LIFE = 7 * YEAR;
const EOS_AFTER_ERI = 90 * DAY;
const CRITICAL: ReadonlySet<AlarmCode> = new Set([
  'EMPTY_RESERVOIR',
  'END_OF_SERVICE',
  'MOTOR_STALL',
  'MEMORY_ERROR_CRITICAL',
  'CATHETER_OCCLUSION',
]);

export interface RefRegions {
  reservoir: 'ok' | 'low' | 'empty';
  battery: 'ok' | 'eri' | 'endOfService';
  motor: 'running' | 'stalled';
  memory: 'ok' | 'nonCritical' | 'critical';
  catheter: 'patent' | 'partialOcclusion' | 'fullOcclusion' | 'disconnected';
  delivery: 'stopped' | 'infusing' | 'bolusing' | 'updating' | 'suspended' | 'endOfService';
  alarms: 'quiet' | 'silenced' | 'sounding.critical' | 'sounding.nonCritical';
}

interface Bolus {
  volumeNl: number;
  start: number;
  end: number;
}

/** Ceiling of a / b for a >= 0, b > 0 (integers). */
const ceilDiv = (a: number, b: number): number => Math.floor((a + b - 1) / b);

export class ReferencePump {
  now: number;
  private readonly born: number;
  concentration = 0;
  rateUlPerDay = 0;
  everFilled = false;
  calcNl = 0;
  trueNl = RESIDUAL_NL;
  /** Basal seconds infused since the last update, and basal nL delivered since then. */
  private basalSeconds = 0;
  private basalNl = 0;
  bolus: Bolus | null = null;
  clinicianStopped = false;
  updating: ProgramChange | null = null;
  patientBolus: { amountNg: number; durationS: number; maxPerDay: number; lockoutS: number } | null = null;
  private lockoutUntil: number;
  private patientBoluses: number[] = [];
  stallUntil: number | null = null;
  memory: RefRegions['memory'] = 'ok';
  catheter: RefRegions['catheter'] = 'patent';
  eriAt: number | null = null;
  eosAt: number | null = null;
  endOfService = false;
  alarms = new Map<AlarmCode, { silencedUntil: number | null }>();

  constructor(startTime: number) {
    this.now = startTime;
    this.born = startTime;
    this.lockoutUntil = startTime;
  }

  /** An independent copy (the model-based test branches every edge from one replayed path). */
  clone(): ReferencePump {
    const c = Object.assign(Object.create(ReferencePump.prototype) as ReferencePump, this);
    c.alarms = new Map([...this.alarms].map(([k, v]) => [k, { ...v }]));
    c.bolus = this.bolus && { ...this.bolus };
    Object.assign(c, { patientBoluses: [...this.patientBoluses] });
    return c;
  }

  // ---- what the regions should show -------------------------------------------------------------
  delivery(): RefRegions['delivery'] {
    if (this.endOfService) return 'endOfService';
    if (this.updating) return 'updating';
    if (this.suspended()) return 'suspended';
    if (this.clinicianStopped) return 'stopped';
    if (this.bolus) return 'bolusing';
    return this.rateUlPerDay > 0 ? 'infusing' : 'stopped';
  }

  private suspended(): boolean {
    return this.stallUntil !== null || this.memory === 'critical' || this.alarms.has('EMPTY_RESERVOIR');
  }

  regions(): RefRegions {
    const active = [...this.alarms.entries()];
    const unsilenced = active.filter(([, a]) => a.silencedUntil === null || a.silencedUntil <= this.now);
    return {
      reservoir: this.alarms.has('EMPTY_RESERVOIR')
        ? 'empty'
        : this.alarms.has('LOW_RESERVOIR')
          ? 'low'
          : 'ok',
      battery: this.endOfService ? 'endOfService' : this.eriAt !== null ? 'eri' : 'ok',
      motor: this.stallUntil !== null ? 'stalled' : 'running',
      memory: this.memory,
      catheter: this.catheter,
      delivery: this.delivery(),
      alarms:
        active.length === 0
          ? 'quiet'
          : unsilenced.length === 0
            ? 'silenced'
            : unsilenced.some(([c]) => CRITICAL.has(c))
              ? 'sounding.critical'
              : 'sounding.nonCritical',
    };
  }

  alarmCodes(): AlarmCode[] {
    return [...this.alarms.keys()].sort();
  }

  // ---- time ----------------------------------------------------------------------------------------
  /** Motor nL in the next dt seconds of what is running now (before the empty clamp). */
  private motorIn(dt: number): number {
    const d = this.delivery();
    if (d === 'bolusing' && this.bolus) {
      const b = this.bolus;
      const cum = (e: number): number =>
        e >= b.end - b.start ? b.volumeNl : Math.floor((b.volumeNl * e) / (b.end - b.start));
      const e0 = this.now - b.start;
      return cum(e0 + dt) - cum(e0);
    }
    if (d === 'infusing') {
      const r = this.rateUlPerDay * 1000;
      return Math.floor((r * (this.basalSeconds + dt)) / DAY) - this.basalNl;
    }
    return 0;
  }

  /** Seconds until the motor has moved x nL (null: not in what runs now). */
  private secondsUntil(x: number): number | null {
    if (x <= 0) return 0;
    const d = this.delivery();
    if (d === 'bolusing' && this.bolus) {
      const b = this.bolus;
      const dur = b.end - b.start;
      const e0 = this.now - b.start;
      const done = Math.floor((b.volumeNl * e0) / dur);
      if (done + x > b.volumeNl) return null;
      return ceilDiv((done + x) * dur, b.volumeNl) - e0;
    }
    if (d === 'infusing' && this.rateUlPerDay > 0) {
      const r = this.rateUlPerDay * 1000;
      return ceilDiv((this.basalNl + x) * DAY, r) - this.basalSeconds;
    }
    return null;
  }

  private nextThreshold(to: number): number {
    const c: number[] = [to];
    if (this.bolus) c.push(this.bolus.end);
    if (this.stallUntil !== null) c.push(this.stallUntil);
    for (const a of this.alarms.values()) if (a.silencedUntil !== null) c.push(a.silencedUntil);
    if (this.eriAt === null) c.push(this.born + SERVICE_LIFE - EOS_AFTER_ERI);
    if (this.eosAt !== null && !this.endOfService) c.push(this.eosAt);
    if (this.everFilled) {
      for (const level of [this.lowNl, 0]) {
        if (this.calcNl > level) {
          const dt = this.secondsUntil(this.calcNl - level);
          if (dt !== null) c.push(this.now + dt);
        }
      }
    }
    return Math.min(...c.filter((t) => t > this.now));
  }

  private lowNl = LOW_DEFAULT_NL;

  private move(t: number): void {
    const dt = t - this.now;
    const d = this.delivery();
    const m = Math.min(this.motorIn(dt), this.calcNl);
    if (d === 'infusing') {
      // Raw strokes counted since the update (the pump's carry), whatever the empty clamp took.
      this.basalSeconds += dt;
      this.basalNl = Math.floor((this.rateUlPerDay * 1000 * this.basalSeconds) / DAY);
    }
    this.calcNl -= m;
    if (this.catheter !== 'fullOcclusion') this.trueNl -= Math.min(m, Math.max(0, this.trueNl - RESIDUAL_NL));
    this.now = t;
  }

  advance(to: number): void {
    while (this.now < to) {
      this.move(Math.min(this.nextThreshold(to), to));
      this.settle();
    }
  }

  /** Everything that happens at `now` by itself. */
  private settle(): void {
    if (this.bolus && this.now >= this.bolus.end) this.bolus = null;
    this.evaluateReservoir();
    if (this.eriAt === null && this.now >= this.born + SERVICE_LIFE - EOS_AFTER_ERI) this.reachEri();
    if (this.eosAt !== null && this.now >= this.eosAt && !this.endOfService) this.reachEos();
    if (this.stallUntil !== null && this.now >= this.stallUntil) {
      this.stallUntil = null;
      this.alarms.delete('MOTOR_STALL');
    }
    for (const a of this.alarms.values())
      if (a.silencedUntil !== null && a.silencedUntil <= this.now) a.silencedUntil = null;
    if (this.suspended() || this.endOfService) this.bolus = null;
  }

  private raise(code: AlarmCode): void {
    if (!this.alarms.has(code)) this.alarms.set(code, { silencedUntil: null });
  }

  private evaluateReservoir(): void {
    if (!this.everFilled) return;
    if (this.calcNl <= 0) this.raise('EMPTY_RESERVOIR');
    else this.alarms.delete('EMPTY_RESERVOIR');
    if (this.calcNl <= this.lowNl) this.raise('LOW_RESERVOIR');
    else this.alarms.delete('LOW_RESERVOIR');
  }

  private reachEri(): void {
    this.eriAt = this.now;
    this.eosAt = this.now + EOS_AFTER_ERI;
    this.raise('ERI');
  }

  private reachEos(): void {
    this.endOfService = true;
    this.raise('END_OF_SERVICE');
    this.bolus = null;
  }

  // ---- commands: each returns whether the pump should accept it -------------------------------------
  private programAllowed(c: ProgramChange): boolean {
    const d = this.delivery();
    if (d === 'endOfService' || d === 'updating') return false;
    const conc = c.refill ? c.refill.concentrationMcgPerMl : this.concentration;
    const calcAfter = c.refill ? c.refill.fillVolumeUl * 1000 : this.calcNl;
    if (c.bolus) {
      if (this.stallUntil !== null || this.memory === 'critical') return false;
      if (c.bolus.kind === 'priming' || conc <= 0) return false;
      if (Math.round((c.bolus.amountNg * 1000) / conc) > calcAfter) return false;
    }
    return true;
  }

  begin(c: ProgramChange): boolean {
    if (!this.programAllowed(c)) return false;
    this.updating = c;
    this.bolus = null;
    return true;
  }

  commit(): boolean {
    const c = this.updating;
    if (!c) return false;
    this.updating = null;
    if (!this.programAllowed(c)) {
      this.updating = c;
      return false;
    }
    this.bolus = null;
    this.basalSeconds = 0;
    this.basalNl = 0;
    if (c.refill) {
      this.trueNl += Math.min(c.refill.fillVolumeUl * 1000, CAPACITY_NL + RESIDUAL_NL - this.trueNl);
      this.concentration = c.refill.concentrationMcgPerMl;
      this.calcNl = c.refill.fillVolumeUl * 1000;
      this.everFilled = true;
      if (this.patientBolus) this.lockoutUntil = this.now + this.patientBolus.lockoutS;
    }
    if (c.therapy) {
      this.rateUlPerDay =
        c.therapy.mode === 'continuous' ? Math.round(c.therapy.dailyDoseNgPerDay / this.concentration) : 0;
    }
    if (c.patientBolus !== undefined) {
      this.patientBolus = c.patientBolus;
      this.patientBoluses = [];
      this.lockoutUntil = this.now + (c.patientBolus?.lockoutS ?? 0);
    }
    if (c.bolus && c.bolus.kind !== 'priming') {
      const v = Math.round((c.bolus.amountNg * 1000) / this.concentration);
      this.bolus = { volumeNl: v, start: this.now, end: this.now + c.bolus.durationS };
    }
    this.clinicianStopped = false;
    this.evaluateReservoir();
    this.settle();
    return true;
  }

  abort(): boolean {
    if (!this.updating) return false;
    this.updating = null;
    this.clinicianStopped = true;
    return true;
  }

  stop(): boolean {
    const d = this.delivery();
    if (d === 'endOfService' || d === 'updating') return false;
    this.bolus = null;
    this.clinicianStopped = true;
    return true;
  }

  resume(): boolean {
    const d = this.delivery();
    if (d === 'endOfService' || d === 'updating' || !this.clinicianStopped || this.rateUlPerDay === 0)
      return false;
    this.clinicianStopped = false;
    return true;
  }

  patientBolusRequest(): boolean {
    const pb = this.patientBolus;
    if (!pb || this.delivery() !== 'infusing' || this.now < this.lockoutUntil) return false;
    this.patientBoluses = this.patientBoluses.filter((t) => t > this.now - DAY);
    if (this.patientBoluses.length >= pb.maxPerDay) return false;
    const v = Math.round((pb.amountNg * 1000) / this.concentration);
    if (v > this.calcNl) return false;
    this.bolus = { volumeNl: v, start: this.now, end: this.now + pb.durationS };
    this.patientBoluses.push(this.now);
    this.lockoutUntil = this.now + pb.lockoutS;
    return true;
  }

  silence(until: number, code?: AlarmCode): boolean {
    if (until <= this.now || this.alarms.size === 0) return false;
    if (code !== undefined && !this.alarms.has(code)) return false;
    for (const [c, a] of this.alarms) if (code === undefined || c === code) a.silencedUntil = until;
    return true;
  }

  inject(f: DeviceFault): void {
    switch (f.kind) {
      case 'catheter':
        this.catheter = f.state;
        return;
      case 'motorStall':
        this.stallUntil = this.now + f.recoveryDelayS;
        this.bolus = null;
        this.raise('MOTOR_STALL');
        return;
      case 'memoryError':
        if (f.critical) {
          this.memory = 'critical';
          this.bolus = null;
          this.raise('MEMORY_ERROR_CRITICAL');
        } else {
          if (this.memory === 'ok') this.memory = 'nonCritical';
          this.raise('MEMORY_ERROR_NONCRITICAL');
        }
        return;
      case 'battery':
        if (this.eriAt === null) this.reachEri();
        if (f.to === 'endOfService') {
          this.eosAt = this.now;
          this.settle();
        }
        return;
      default:
        return;
    }
  }

  clear(kind: DeviceFault['kind']): void {
    if (kind === 'catheter') this.catheter = 'patent';
    if (kind === 'motorStall' && this.stallUntil !== null) this.stallUntil = this.now;
    if (kind === 'memoryError') {
      this.memory = 'ok';
      this.alarms.delete('MEMORY_ERROR_CRITICAL');
      this.alarms.delete('MEMORY_ERROR_NONCRITICAL');
    }
    this.settle();
  }

  /** Applies one event; returns whether the pump should accept it (null: no acceptance to check). */
  apply(e: PumpEvent): boolean | null {
    switch (e.type) {
      case 'CLOCK.ADVANCE':
        this.advance(e.to);
        return null;
      case 'PROGRAM.BEGIN':
        return this.begin(e.change);
      case 'PROGRAM.COMMIT':
        return this.commit();
      case 'PROGRAM.ABORT':
        return this.abort();
      case 'STOP':
        return this.stop();
      case 'RESUME':
        return this.resume();
      case 'PATIENT_BOLUS':
        return this.patientBolusRequest();
      case 'ALARM.SILENCE':
        return this.silence(e.until, e.code);
      case 'ALARM.TEST':
        return true;
      // The local-time rule changes no region; delivery here is continuous, which no clock changes.
      case 'CLOCK.SET':
        return true;
      case 'FAULT.INJECT':
        this.inject(e.fault);
        return null;
      case 'FAULT.CLEAR':
        this.clear(e.kind);
        return null;
    }
  }
}
