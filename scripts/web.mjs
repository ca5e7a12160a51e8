/**
 * `npm run web`, started by plain Node: the browser host (scripts/web.ts) and its embedded pump
 * (firmware-sim/cli.ts) run from two esbuild bundles in out/web-host/ rather than under tsx. Under tsx each
 * of the two processes spent most of its start-up loading the loader and compiling the sources; from the
 * bundles a start takes about a third of that time (issue 20's goal: < 1.5 s; `npm run bench console`).
 *
 * The bundles are rebuilt only when their inputs changed: out/web-host/inputs.json keeps the list of source
 * files esbuild read (its metafile) and the SHA-256 of their contents and of the lockfile; a current build is
 * run as it is, like the pages' build (scripts/web-build.ts). A fresh clone builds on its first start (out/ is
 * never committed).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '..');
export const OUT = join(ROOT, 'out', 'web-host');
const STAMP_FILE = 'inputs.json';
const ENTRIES = { web: 'scripts/web.ts', 'firmware-sim': 'firmware-sim/cli.ts' };

/** SHA-256 of the lockfile and of `files` (paths relative to ROOT): names and contents, in order. */
function inputsHash(files) {
  const h = createHash('sha256');
  for (const f of ['package-lock.json', ...files])
    h.update(f)
      .update('\0')
      .update(readFileSync(join(ROOT, f)))
      .update('\0');
  return h.digest('hex');
}

/** True when both bundles in `out` exist and were built from exactly the files they list, as they are now. */
export function bundlesAreCurrent(out = OUT) {
  const stamp = join(out, STAMP_FILE);
  if (!existsSync(stamp) || !Object.keys(ENTRIES).every((name) => existsSync(join(out, `${name}.mjs`))))
    return false;
  try {
    const { files, sha256 } = JSON.parse(readFileSync(stamp, 'utf8'));
    return files.every((f) => existsSync(join(ROOT, f))) && inputsHash(files) === sha256;
  } catch {
    return false; // an unreadable stamp: rebuild
  }
}

/**
 * Each module keeps its source file's import.meta.url and import.meta.dirname in the bundle, so what is
 * found from them (the scenario library, the repository root, node-pty through createRequire) is found
 * exactly as when running from the sources.
 */
const sourceLocation = {
  name: 'itb:source-location',
  setup(build) {
    build.onLoad({ filter: /\.tsx?$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8')
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path))),
      loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts',
    }));
  },
};

/** Bundle the host and the pump into `out` and record their inputs. */
export async function buildBundles(out = OUT) {
  const { build } = await import('esbuild');
  rmSync(out, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(ROOT, file)])),
    outdir: out,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Native modules (and ws's optional native helpers) load from node_modules; the rest is bundled, so
    // that a start reads two files rather than a few hundred.
    external: ['serialport', 'node-pty', 'bufferutil', 'utf-8-validate'],
    // CommonJS dependencies (ws) require Node's built-ins: give the bundle a require of its own.
    banner: {
      js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);",
    },
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceLocation],
  });
  // The bundled dependencies are pinned by the lockfile (hashed too): only the project's own files are listed.
  const files = Object.keys(result.metafile.inputs)
    .filter((f) => !f.startsWith('node_modules/'))
    .sort();
  writeFileSync(join(out, STAMP_FILE), `${JSON.stringify({ files, sha256: inputsHash(files) }, null, 1)}\n`);
}

// Run as `node scripts/web.mjs [web host options]` (not when imported, e.g. by the bench).
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  if (!bundlesAreCurrent()) {
    process.stderr.write('web: bundling the browser host and the embedded pump into out/web-host\n');
    await buildBundles();
  }
  // The programmer service starts its embedded pump from this bundle (src/main/service/embedded-pump.ts).
  process.env.ITB_SIM_ENTRY ??= join(OUT, 'firmware-sim.mjs');
  await import(pathToFileURL(join(OUT, 'web.mjs')).href);
}
