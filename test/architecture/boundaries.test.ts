/**
 * The dependency table of docs/architecture.md is enforced by `npm run lint`: each case lints one import
 * as if it were written in a layer's file, through the project's own ESLint configuration.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('the dependency table, enforced by lint', () => {
  it.each([
    ['src/renderer/x.ts', "import { createPump } from '../device/pump';"],
    ['src/renderer/x.ts', "import { PumpClient } from '../protocol/session/client';"],
    ['src/shared/clinical/x.ts', "import { advanceTo } from '../../device/advance';"],
    ['src/protocol/session/x.ts', "import { requestSchemas } from '../../shared/contract';"],
    ['src/protocol/session/x.ts', "import { createPump } from '../../device/pump';"],
    ['src/device/x.ts', "import { evaluateChange } from '../shared/clinical/rules';"],
    ['src/main/service/x.ts', "import { createPump } from '../../device/pump';"],
    ['src/main/service/x.ts', "import { App } from '../../renderer/App';"],
    ['firmware-sim/x.ts', "import { ProgrammerService } from '../src/main/service/programmer-service';"],
    ['src/preload/x.ts', "import { ProgrammerService } from '../main/service/programmer-service';"],
    // The protocol's layers, one way: session -> messages -> link.
    ['src/protocol/link/x.ts', "import { COMMANDS } from '../messages/messages';"],
    ['src/protocol/link/x.ts', "import { deriveSessionKey } from '../session/auth';"],
    ['src/protocol/link/x.ts', "import type { PumpStatus } from '../../device/types';"],
    ['src/protocol/messages/x.ts', "import { PumpClient } from '../session/client';"],
    ['src/protocol/messages/x.ts', "import { requestSchemas } from '../../shared/contract';"],
  ])('refuses in %s: %s', async (file, code) => {
    expect(await layerErrors(file, `${code}\nexport {};\n`)).toHaveLength(1);
  });

  it.each([
    ['src/renderer/x.ts', "import type { PumpStatus } from '../device/types';"],
    ['src/renderer/x.ts', "import { TONE_PATTERNS } from '../shared/device-facts/profiles';"],
    ['src/shared/clinical/x.ts', "import type { PumpProgram } from '../../device/pump-api';"],
    ['src/protocol/session/x.ts', "import { emptyLinkStats } from '../../shared/link-stats';"],
    ['src/device/x.ts', "import { getProfile } from '../shared/device-facts/profiles';"],
    ['firmware-sim/x.ts', "import { createPump } from '../src/device';"],
    ['src/main/service/x.ts', "import { PumpClient } from '../../protocol/session/client';"],
    ['src/protocol/session/x.ts', "import { COMMANDS } from '../messages/messages';"],
    ['src/protocol/session/x.ts', "import { buildFrame } from '../link/frame';"],
    ['src/protocol/messages/x.ts', "import type { Frame } from '../link/frame';"],
    ['src/protocol/messages/x.ts', "import type { PumpStatus } from '../../device/types';"],
  ])('allows in %s: %s', async (file, code) => {
    expect(await layerErrors(file, `${code}\nexport {};\n`)).toEqual([]);
  });
});
