/**
 * `npm run bench`: runs every bench/*.bench.ts section in one process, one after the other, and prints
 * figures and ratios measured side by side. Never a pass/fail on wall time: these machines are noisy.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const sections = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || f.startsWith(only))
  .sort();

for (const file of sections) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: () => Promise<void> | void };
  console.log(`\n=== ${file.replace('.bench.ts', '')} ===`);
  await mod.default();
}
