import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const root = import.meta.dirname;
const simEntry = resolve(root, 'firmware-sim/cli.ts');

/**
 * electron-vite's ESM shim injects `const require = createRequire(import.meta.url)` into any chunk that
 * calls require(); firmware-sim declares the same binding itself (to load node-pty), which makes the bundle
 * a SyntaxError. Both are createRequire(import.meta.url): drop the module's own copy when the shim is there.
 */
function dedupeRequireShim(): Plugin {
  const own = /^(?:var|let|const) require = (?:\w+\.)?createRequire\(import\.meta\.url\);$/m;
  return {
    name: 'itb:dedupe-require-shim',
    enforce: 'post',
    renderChunk(code) {
      if (!code.includes('const require = __shims_module__.createRequire(import.meta.url);')) return null;
      return own.test(code) ? { code: code.replace(own, ''), map: null } : null;
    },
  };
}

// main: Electron main (window, IPC, programmer service) plus a bundle of the device host (firmware-sim),
//   which the packaged app runs as its embedded pump with ELECTRON_RUN_AS_NODE=1 (no separate Node needed).
//   Dependencies stay external (electron-vite's default): serialport and node-pty are native modules and
//   must be loaded from node_modules at run time, never bundled.
// preload: sandboxed, so CommonJS and self-contained (it imports only 'electron' at run time).
// renderer: the React programmer from src/renderer, relative asset URLs so it loads from file://.
export default defineConfig({
  main: {
    plugins: [dedupeRequireShim()],
    build: {
      outDir: resolve(root, 'out/main'),
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(root, 'src/main/index.ts'),
          ...(existsSync(simEntry) ? { 'firmware-sim': simEntry } : {}),
        },
        external: ['serialport', 'node-pty', 'ws', 'bufferutil', 'utf-8-validate'],
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rollupOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      modulePreload: { polyfill: false },
      assetsInlineLimit: 0,
      rollupOptions: { input: { index: resolve(root, 'src/renderer/index.html') } },
    },
  },
});
