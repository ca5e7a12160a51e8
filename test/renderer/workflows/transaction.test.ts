import { describe, expect, it } from 'vitest';
import {
  commitBlockers,
  initialTransaction,
  overrideReasonToSend,
  programErrorsOf,
  transactionReducer,
  type TransactionState,
} from '../../../src/renderer/workflows/transaction';
import { proposal } from './fixtures';

const warning = { rule: 'INCREASE_BEYOND_GUIDANCE', severity: 'warning' as const, message: 'beyond' };
const hardStop = { rule: 'TENFOLD', severity: 'hardStop' as const, message: 'tenfold' };

describe('transaction reducer', () => {
  it('walks edit -> proposing -> review -> committing -> done', () => {
    let s: TransactionState = initialTransaction;
    s = transactionReducer(s, { type: 'propose' });
    expect(s.phase).toBe('proposing');
    s = transactionReducer(s, { type: 'proposed', proposal: proposal() });
    expect(s.phase).toBe('review');
    s = transactionReducer(s, { type: 'commit' });
    expect(s.phase).toBe('committing');
    const result = { committed: true, verify: null, errors: [] };
    s = transactionReducer(s, { type: 'committed', result });
    expect(s).toMatchObject({ phase: 'done', result });
  });

  it('sends a refused proposal back to the editor with the pump errors', () => {
    const errors = [
      {
        code: 'FLEX_STEP_TOO_SHORT' as const,
        field: 'therapy.steps.1.startSecondOfDay',
        message: 'too short',
      },
    ];
    let s = transactionReducer(initialTransaction, { type: 'propose' });
    s = transactionReducer(s, { type: 'proposed', proposal: proposal({ committable: false, errors }) });
    expect(s).toEqual({ phase: 'edit', error: null, programErrors: errors });
  });

  it('a failed commit returns to review with the error; nothing else moves', () => {
    let s = transactionReducer(initialTransaction, { type: 'propose' });
    s = transactionReducer(s, { type: 'proposed', proposal: proposal() });
    s = transactionReducer(s, { type: 'commit' });
    s = transactionReducer(s, { type: 'commitFailed', error: { code: 'LINK_LOST', message: 'gone' } });
    expect(s).toMatchObject({ phase: 'review', error: { code: 'LINK_LOST' } });
  });

  it('ignores out-of-order actions (no commit from edit, no double propose)', () => {
    expect(transactionReducer(initialTransaction, { type: 'commit' })).toBe(initialTransaction);
    const proposing = transactionReducer(initialTransaction, { type: 'propose' });
    expect(transactionReducer(proposing, { type: 'propose' })).toBe(proposing);
    expect(transactionReducer(proposing, { type: 'back' })).toBe(proposing);
  });

  it('a propose error carrying ProgramErrors keeps them for the fields', () => {
    const s = transactionReducer(transactionReducer(initialTransaction, { type: 'propose' }), {
      type: 'proposeFailed',
      error: {
        code: 'PUMP_REFUSED',
        message: 'refused',
        details: {
          errors: [
            { code: 'OUT_OF_RANGE', field: 'therapy.dailyDoseNgPerDay', message: 'too high' },
            { junk: 1 },
          ],
        },
      },
    });
    expect(s).toMatchObject({ phase: 'edit', programErrors: [{ field: 'therapy.dailyDoseNgPerDay' }] });
    expect(programErrorsOf({ code: 'INTERNAL', message: 'x' })).toEqual([]);
  });
});

describe('commit blockers', () => {
  it('none for a clean committable proposal', () => {
    expect(commitBlockers(proposal(), '', false)).toEqual([]);
  });
  it('a warning needs a non-blank reason', () => {
    const p = proposal({ findings: [warning] });
    expect(commitBlockers(p, '   ', false)).toHaveLength(1);
    expect(commitBlockers(p, 'Spasticity uncontrolled, discussed with Dr X', false)).toEqual([]);
  });
  it('a hard stop cannot be overridden by any reason', () => {
    const p = proposal({ findings: [warning, hardStop] });
    expect(commitBlockers(p, 'I insist', false).join(' ')).toMatch(/hard stop/i);
  });
  it('a stale link or an uncommittable proposal blocks', () => {
    expect(commitBlockers(proposal(), '', true).join(' ')).toMatch(/link/i);
    expect(commitBlockers(proposal({ committable: false }), '', false)).toHaveLength(1);
  });
  it('sends the trimmed reason only when there are warnings', () => {
    expect(overrideReasonToSend(proposal(), 'because')).toBeUndefined();
    expect(overrideReasonToSend(proposal({ findings: [warning] }), '  because  ')).toBe('because');
    expect(overrideReasonToSend(proposal({ findings: [warning] }), 'x'.repeat(600))).toHaveLength(500);
  });
});
