/**
 * Units in the types (src/shared/units.ts): one unit passed where another is expected does not compile,
 * and the conversions round the way the pump does.
 *
 * The `@ts-expect-error` lines are checked by `npm run typecheck` (this file is in tsconfig's `include`):
 * if the brand were removed, each would be an unused directive and the typecheck would fail. The test
 * "the compiler refuses ..." checks the same with the TypeScript compiler itself, so `npm test` fails too.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import {
  after,
  between,
  doseOfRate,
  durationS,
  mcgToNg,
  nl,
  nlToUl,
  secondOfDay,
  ul,
  ulToNl,
  type DurationSeconds,
  type McgPerMl,
  type Microlitres,
  type MicrolitresPerDay,
  type Nanograms,
  type NanogramsPerDay,
  type Nanolitres,
  type PumpInstant,
} from '../../src/shared/units';
import type { PumpStatus, PumpTruth } from '../../src/device/types';
import { floorDiv } from '../../src/shared/device-facts/dose';

// ------------------------------------------------------------------ compile-time: mixing units is an error

function takesNl(v: Nanolitres): Nanolitres {
  return v;
}
function takesDuration(v: DurationSeconds): DurationSeconds {
  return v;
}

export function typeLevelChecks(status: PumpStatus, truth: PumpTruth): void {
  const uL: Microlitres = status.reservoirVolumeUl;
  // @ts-expect-error a uL value where nL is expected
  takesNl(uL);
  // @ts-expect-error the pump's belief (uL) is not the bench's truth (nL)
  const wrong: Nanolitres = status.reservoirVolumeUl;
  // @ts-expect-error an instant is not a duration
  takesDuration(status.pumpTime);
  // @ts-expect-error a daily dose (ng/day) is not an amount (ng)
  const amount: Nanograms = status.dailyDoseNgPerDay;
  // @ts-expect-error a rate (uL/day) is not a volume (uL)
  const volume: Microlitres = status.rateUlPerDay;
  // @ts-expect-error a concentration is not a dose
  const dose: NanogramsPerDay = status.concentrationMcgPerMl;
  // The conversions and plain numbers are accepted.
  takesNl(ulToNl(uL));
  takesNl(truth.trueReservoirVolumeNl);
  takesNl(1000);
  takesDuration(between(status.pumpTime, status.pumpTime));
  void [wrong, amount, volume, dose];
}

describe('units in the types', () => {
  it('the compiler refuses a uL value where nL is expected, and the other mixes', () => {
    const file = fileURLToPath(import.meta.url);
    const source = ts.sys.readFile(file)!.replace(/\/\/ @ts-expect-error.*\n/g, '\n');
    const host = ts.createCompilerHost({ strict: true, noEmit: true, skipLibCheck: true });
    const read = host.readFile;
    host.readFile = (f) => (path.resolve(f) === path.resolve(file) ? source : read(f));
    const program = ts.createProgram({
      rootNames: [file],
      options: {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        types: [],
        noResolve: false,
      },
      host,
    });
    const sf = program.getSourceFile(file)!;
    const lines = ts
      .getPreEmitDiagnostics(program, sf)
      .filter((d) => d.file === sf && (d.code === 2322 || d.code === 2345))
      .map((d) => sf.getLineAndCharacterOfPosition(d.start!).line + 1);
    const expected = source
      .split('\n')
      .map((l, i) =>
        /^\s*(takesNl\(uL\)|const wrong|takesDuration\(status|const amount|const volume|const dose)/.test(l)
          ? i + 1
          : 0,
      )
      .filter((n) => n > 0);
    expect(expected).toHaveLength(6);
    expect(lines).toEqual(expected);
  }, 60_000);
});

// ------------------------------------------------------------------ run time: the conversions

const int = fc.integer({ min: -1e12, max: 1e12 });

describe('unit conversions', () => {
  it('uL -> nL -> uL is the identity', () => {
    fc.assert(fc.property(int, (v) => nlToUl(ulToNl(ul(v))) === v));
  });

  it('nL -> uL rounds down, as the pump reports its calculated volume (never more than it holds)', () => {
    fc.assert(
      fc.property(int, (v) => {
        const u = nlToUl(nl(v));
        expect(u).toBe(floorDiv(v, 1000));
        expect(ulToNl(u)).toBeLessThanOrEqual(v);
        expect(v - ulToNl(u)).toBeLessThan(1000);
      }),
    );
    expect(nlToUl(1999)).toBe(1);
    expect(nlToUl(-1)).toBe(-1);
  });

  it('the daily dose is exactly rate x concentration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 5000 }), (r, c) => {
        const rate: MicrolitresPerDay = r;
        const conc: McgPerMl = c;
        expect(doseOfRate(rate, conc)).toBe(r * c);
      }),
    );
    expect(mcgToNg(400)).toBe(400_000);
  });

  it('an instant plus the duration between it and another is that other', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800 }),
        fc.integer({ min: 0, max: 4_102_444_800 }),
        (a, b) => {
          const from: PumpInstant = a;
          const to: PumpInstant = b;
          expect(after(from, between(from, to))).toBe(to);
          const sod = secondOfDay(from);
          expect(sod).toBeGreaterThanOrEqual(0);
          expect(sod).toBeLessThan(86_400);
          expect((from - sod) % 86_400).toBe(0);
        },
      ),
    );
    expect(after(0, durationS(60))).toBe(60);
  });

  it('refuses a value that is not a safe integer', () => {
    expect(() => ulToNl(1.5)).toThrow(RangeError);
    expect(() => nlToUl(Number.NaN)).toThrow(RangeError);
    expect(() => doseOfRate(2 ** 40, 2 ** 20)).toThrow(RangeError);
  });
});
