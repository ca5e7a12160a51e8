/**
 * The text of a PDF, read back with pdf.js (pdfjs-dist's legacy build for Node, no canvas, no download):
 * the refill card printed by Chromium's `page.pdf()` is checked as printed, not as the DOM says.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { getDocument, GlobalWorkerOptions } from 'pdfjs-dist/legacy/build/pdf.mjs';

const require = createRequire(import.meta.url);
GlobalWorkerOptions.workerSrc = pathToFileURL(require.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs')).href;

/** Every page's text, lines joined by newlines (items on one baseline joined by spaces). */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false })
    .promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i += 1) {
    const content = await (await doc.getPage(i)).getTextContent();
    let line = '';
    const lines: string[] = [];
    // Where the previous item ended: a ligature ("fi") comes as its own item, so items are joined with a
    // space only when there is a visible gap between them on the same baseline.
    let prev: { x: number; y: number } | null = null;
    for (const item of content.items) {
      if (!('str' in item)) continue;
      const x = item.transform[4] as number;
      const y = item.transform[5] as number;
      if (prev && line && Math.abs(y - prev.y) < 1 && x - prev.x > 1 && !line.endsWith(' ')) line += ' ';
      line += item.str;
      prev = { x: x + item.width, y };
      if (item.hasEOL) {
        lines.push(line);
        line = '';
        prev = null;
      }
    }
    if (line) lines.push(line);
    pages.push(lines.map((l) => l.replace(/\s+/g, ' ').trim()).join('\n'));
  }
  await doc.destroy();
  return pages.join('\n');
}
