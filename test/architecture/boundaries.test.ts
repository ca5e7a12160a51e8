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
    ['src/protocol/x.ts', "import { requestSchemas } from '../shared/contract';"],
    ['src/protocol/x.ts', "import { createPump } from '../device/pump';"],
    ['src/device/x.ts', "import { evaluateChange } from '../shared/clinical/rules';"],
    ['src/main/service/x.ts', "import { createPump } from '../../device/pump';"],
    ['src/main/service/x.ts', "import { App } from '../../renderer/App';"],
    ['firmware-sim/x.ts', "import { ProgrammerService } from '../src/main/service/programmer-service';"],
    ['src/preload/x.ts', "import { ProgrammerService } from '../main/service/programmer-service';"],
  ])('refuses in %s: %s', async (file, code) => {
    expect(await layerErrors(file, `${code}\nexport {};\n`)).toHaveLength(1);
  });

  it.each([
    ['src/renderer/x.ts', "import type { PumpStatus } from '../device/types';"],
    ['src/renderer/x.ts', "import { TONE_PATTERNS } from '../shared/device-facts/profiles';"],
    ['src/shared/clinical/x.ts', "import type { PumpProgram } from '../../device/pump-api';"],
    ['src/protocol/x.ts', "import { emptyLinkStats } from '../shared/link-stats';"],
    ['src/device/x.ts', "import { getProfile } from '../shared/device-facts/profiles';"],
    ['firmware-sim/x.ts', "import { createPump } from '../src/device';"],
    ['src/main/service/x.ts', "import { PumpClient } from '../../protocol/session/client';"],
  ])('allows in %s: %s', async (file, code) => {
    expect(await layerErrors(file, `${code}\nexport {};\n`)).toEqual([]);
  });
});
