/**
 * `npm run web` builds the renderer and the instructor console only when their inputs changed: a SHA-256 of
 * every input file (the two pages' sources, what they import at run time from src/shared, the vite configs
 * and the lockfile) is stored beside the build in out/web/.inputs-sha256; a current build is served as it
 * is. Type-only imports (src/device, src/patient, firmware-sim) change no byte of the output and are left
 * out.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
const INPUT_DIRS = ['src/renderer', 'src/instructor', 'src/shared'];
const INPUT_FILES = ['vite.web.config.ts', 'vite.instructor.config.ts', 'package-lock.json'];
export const HASH_FILE = '.inputs-sha256';

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
}

/** The hash of every input: names and contents, in a fixed order. */
export function inputsHash(root = ROOT): string {
  const files: string[] = [];
  for (const d of INPUT_DIRS) walk(join(root, d), files);
  for (const f of INPUT_FILES) files.push(join(root, f));
  const h = createHash('sha256');
  for (const f of files) {
    h.update(relative(root, f)).update('\0');
    h.update(readFileSync(f)).update('\0');
  }
  return h.digest('hex');
}

/** True when `outDir` holds both pages built from exactly these inputs. */
export function buildIsCurrent(outDir: string, hash = inputsHash()): boolean {
  const file = join(outDir, HASH_FILE);
  return (
    existsSync(join(outDir, 'index.html')) &&
    existsSync(join(outDir, 'instructor', 'index.html')) &&
    existsSync(file) &&
    readFileSync(file, 'utf8').trim() === hash
  );
}

/** Build both pages into `outDir` (the console into outDir/instructor) and record the inputs' hash. */
export function buildWeb(outDir: string, hash = inputsHash()): void {
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const run = (config: string, dir: string) =>
    execFileSync(
      process.execPath,
      [vite, 'build', '--config', config, '--outDir', dir, '--logLevel', 'warn'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  run('vite.web.config.ts', outDir); // empties outDir first: the console is built after it
  run('vite.instructor.config.ts', join(outDir, 'instructor'));
  writeFileSync(join(outDir, HASH_FILE), `${hash}\n`);
}

/** Build unless current; says which on stderr. Returns true when it built. */
export function ensureWebBuild(outDir = join(ROOT, 'out', 'web')): boolean {
  const hash = inputsHash();
  if (buildIsCurrent(outDir, hash)) {
    process.stderr.write(
      `web: ${relative(ROOT, outDir)} is current (inputs ${hash.slice(0, 12)}), not rebuilt\n`,
    );
    return false;
  }
  process.stderr.write(
    `web: building the renderer and the instructor console into ${relative(ROOT, outDir)}\n`,
  );
  buildWeb(outDir, hash);
  return true;
}
