/**
 * Builds the renderer once for the whole end-to-end run, into a private temporary directory that every
 * test's browser host serves (`--root`): a concurrent `npm run build:web` empties out/web, never this.
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { buildRenderer } from './renderer-build';

export default function setup(project: TestProject): () => void {
  const dir = buildRenderer();
  project.provide('webRoot', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
