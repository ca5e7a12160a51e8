import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Builds the instructor console (src/instructor) to out/web/instructor, served at /instructor/ by the browser
// host with its own token. A build of its own, not a second page of the programmer's: the two roles share
// no bundle, so nothing of the console is loaded into the trainee's page.
export default defineConfig({
  root: resolve(import.meta.dirname, 'src/instructor'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'out/web/instructor'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
  },
});
