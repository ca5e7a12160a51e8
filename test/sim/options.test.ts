import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError, HELP } from '../../firmware-sim/options';

describe('CLI options', () => {
  it('defaults', () => {
    const o = parseOptions([])!;
    expect(o.model).toBe('SM2-20');
    expect(o.clock).toEqual({ mode: 'running', speed: 1 });
    expect(o.benchPort).toBe(0);
    expect(o.json).toBe(false);
    expect(o.stateFile).toMatch(/^\.state\//);
  });

  it('parses every option, with separate or inline values', () => {
    const o = parseOptions([
      '--model',
      'SM2-40',
      '--serial=ABC-123',
      '--state',
      '/tmp/s.json',
      '--speed',
      '3600',
      '--seed',
      '9',
      '--key',
      'ab'.repeat(32),
      '--bench-port',
      '8123',
      '--json',
      '--link',
      '/tmp/ttyX',
      '--start-time',
      '1700000000',
      '--reset',
    ])!;
    expect(o).toMatchObject({
      model: 'SM2-40',
      serial: 'ABC-123',
      stateFile: '/tmp/s.json',
      clock: { mode: 'running', speed: 3600 },
      seed: 9,
      keyHex: 'ab'.repeat(32),
      benchPort: 8123,
      json: true,
      link: '/tmp/ttyX',
      startTime: 1_700_000_000,
      reset: true,
      modelGiven: true,
    });
    expect(parseOptions(['--exit-with-parent'])!.exitWithParent).toBe(true);
    expect(parseOptions([])!.exitWithParent).toBe(false);
    expect(parseOptions(['--paused'])!.clock.mode).toBe('paused');
    expect(parseOptions(['--fast'])!.clock.mode).toBe('fast');
    expect(parseOptions(['--help'])).toBeNull();
  });

  it.each([
    [['--model', 'SM3'], /--model/],
    [['--speed', '0'], /1\.\.100000/],
    [['--speed', '100001'], /1\.\.100000/],
    [['--speed', 'fast'], /integer/],
    [['--bench-port', '70000'], /0\.\.65535/],
    [['--key', 'xyz'], /hex/],
    [['--serial', 'bad serial'], /--serial/],
    [['--paused', '--fast'], /exclude/],
    [['--frobnicate'], /unknown option/],
    [['--state'], /needs a value/],
    [['--json=1'], /takes no value/],
    [['--port', '/dev/ttyS0', '--link', '/tmp/x'], /--link/],
  ])('refuses %j', (argv, msg) => {
    expect(() => parseOptions(argv)).toThrow(UsageError);
    expect(() => parseOptions(argv)).toThrow(msg);
  });

  it('--help documents every option it parses', () => {
    for (const name of [
      '--model',
      '--serial',
      '--state',
      '--reset',
      '--speed',
      '--paused',
      '--fast',
      '--seed',
      '--key',
      '--link',
      '--port',
      '--bench-port',
      '--json',
      '--start-time',
      '--baud',
    ])
      expect(HELP).toContain(name);
  });
});
