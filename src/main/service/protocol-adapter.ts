/**
 * The one place that knows the protocol client's exact API (src/protocol/session/client.ts): adapts `PumpClient`
 * to the service's `PumpLink`.
 */
import { PumpClient } from '../../protocol/session/client';
import type { PumpLink, PumpLinkFactory } from './pump-link';

export const createProtocolLink: PumpLinkFactory = (duplex, options): PumpLink => {
  const client = new PumpClient(duplex, {
    programmerId: options.programmerId,
    ...(options.key ? { key: options.key } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    now: () => Date.now(),
  });
  return {
    async openSession() {
      const s = await client.openSession();
      return { serial: s.pumpSerial, protocolVersion: s.protocolVersion };
    },
    closeSession: () => client.closeSession(),
    interrogate: () => client.interrogate(),
    readProgram: () => client.readProgram(),
    readLog: (offset, count) => client.readLog(offset, count),
    async prepare(change) {
      const r = await client.prepare(change);
      return 'errors' in r
        ? { ok: false, errors: r.errors }
        : { ok: true, token: r.token, consequences: r.consequences };
    },
    async commit(token) {
      const r = await client.commit(token);
      return 'errors' in r ? { ok: false, errors: r.errors } : { ok: true, programVersion: r.programVersion };
    },
    stop: () => client.stop(),
    resume: () => client.resume(),
    silenceAlarm: (until, code) => client.silenceAlarm(until, code),
    alarmTest: () => client.alarmTest(),
    setClock: (rule) => client.setClock(rule),
    async keepalive() {
      await client.keepalive();
    },
    onAlarm(cb) {
      client.on('alarm', (a) => cb({ code: a.code, raised: a.raised, time: a.time }));
    },
    onFrame(cb) {
      client.on('frame', (f) =>
        cb({ direction: f.direction, bytes: f.bytes, summary: f.summary, ok: f.error === null }),
      );
    },
    stats: () => ({ ...client.stats }),
    dispose: () => client.dispose(),
  };
};
