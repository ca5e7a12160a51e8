/**
 * The instructor's door as it meets the programmer service, the same for both hosts (the browser host and
 * Electron's instructor window): the bench's address and token, read at every call from the embedded pump
 * that runs now (a training case or an implant restarts it on a new token; the token stays in this
 * process); the message to the trainee (case-message.ts); the case library and loading a case (the service
 * restarts its embedded pump); and the trainee's session record, for the activity feed.
 */
import { readFileSync } from 'node:fs';
import { postCaseMessage } from './case-message';
import type { InstructorRelayOptions } from './instructor-relay';
import type { ProgrammerService } from './service/programmer-service';

export type InstructorHooks = Pick<
  InstructorRelayOptions,
  'bench' | 'deliverMessage' | 'cases' | 'startCase' | 'sessionRecord'
>;

export function instructorHooks(service: ProgrammerService): InstructorHooks {
  const bench = (): { url: string; token: string } | null => {
    const emb = service.embedded;
    if (!emb) return null;
    try {
      return { url: emb.bench, token: readFileSync(emb.tokenFile, 'utf8').trim() };
    } catch {
      return null;
    }
  };
  return {
    bench,
    deliverMessage: (text) => postCaseMessage(bench(), text),
    cases: async () => {
      const r = await service.trainingCases({});
      if (!r.ok) throw new Error(r.error.message);
      return r.value.map((c) => ({ id: c.id, title: c.title }));
    },
    startCase: async (id) => {
      const r = await service.startTrainingCase({ id });
      if (!r.ok) throw new Error(r.error.message);
    },
    sessionRecord: async () => {
      const r = await service.sessionRecord({});
      return r.ok ? r.value : [];
    },
  };
}
