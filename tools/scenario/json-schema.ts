/**
 * scenarios/scenario.schema.json: the JSON Schema editors use to complete and check scenario files,
 * generated from the zod schema (src/training/scenario/schema.ts) and formatted with the repository's
 * prettier settings, so `npm run format:check` and the staleness test agree on its bytes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { scenarioJsonSchema } from '../../src/training/scenario/schema';
import { LIBRARY_DIR } from '../../firmware-sim/scenario/library';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export { LIBRARY_DIR };
export const SCHEMA_FILE = join(LIBRARY_DIR, 'scenario.schema.json');

export async function schemaFileText(): Promise<string> {
  const config = JSON.parse(readFileSync(join(REPO_ROOT, '.prettierrc.json'), 'utf8')) as prettier.Options;
  return prettier.format(JSON.stringify(scenarioJsonSchema()), { ...config, parser: 'json' });
}

export async function writeSchemaFile(): Promise<string> {
  writeFileSync(SCHEMA_FILE, await schemaFileText());
  return SCHEMA_FILE;
}
