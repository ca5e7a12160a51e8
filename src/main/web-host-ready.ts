/**
 * The browser host's ready line (src/main/web-host.ts prints it first on stdout), and its parser for
 * whoever starts the host (the end-to-end tests). Kept apart from web-host.ts so a reader need not load it.
 */
import { readyEvent } from './service/embedded-pump';

export interface WebHostReadyLine {
  event: 'ready';
  /** The programmer page, with its per-run token. */
  url: string;
  /** The instructor console (`/instructor/?token=...`, its own per-run token); null without one. */
  instructorUrl: string | null;
  /** The embedded pump's bench API and its token file; null with --no-embedded. */
  bench: string | null;
  benchTokenFile: string | null;
  /** The embedded pump's bedside API and its own token file (docs/bedside-api.md); null with --no-embedded. */
  bedside?: string | null;
  bedsideTokenFile?: string | null;
  /** The embedded pump's serial port. */
  port: string | null;
  pid: number;
}

export function parseWebHostReadyLine(line: string): WebHostReadyLine | null {
  const v = readyEvent(line);
  if (!v || typeof v.url !== 'string') return null;
  return v as unknown as WebHostReadyLine;
}
