/**
 * The slab allocator behind frames and payloads (src/protocol/link/bytes.ts): every buffer starts zeroed, owns
 * its bytes (no two live buffers overlap, writing one never changes another, across slab replacements),
 * and copies equal `slice`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocBytes, copyBytes } from '../../src/protocol/link/bytes';

const overlap = (a: Uint8Array, b: Uint8Array): boolean =>
  a.buffer === b.buffer &&
  a.byteOffset < b.byteOffset + b.byteLength &&
  b.byteOffset < a.byteOffset + a.byteLength;

describe('allocBytes', () => {
  it('gives zeroed buffers of the asked length that never overlap, and writes stay in their own buffer', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6000 }), { minLength: 1, maxLength: 60 }), (sizes) => {
        const live: Uint8Array[] = [];
        for (const [i, n] of sizes.entries()) {
          const b = allocBytes(n);
          expect(b.length).toBe(n);
          expect(b.every((x) => x === 0)).toBe(true);
          b.fill((i % 255) + 1);
          live.push(b);
        }
        for (let i = 0; i < live.length; i++) {
          expect(live[i]!.every((x) => x === (i % 255) + 1)).toBe(true);
          for (let j = i + 1; j < live.length; j++) expect(overlap(live[i]!, live[j]!)).toBe(false);
        }
      }),
    );
  });

  it('survives many slab replacements: old buffers keep their bytes', () => {
    const first = allocBytes(81);
    first.fill(0xa5);
    for (let i = 0; i < 5000; i++) allocBytes(81).fill(0x5a); // ~400 KiB: many slabs
    expect(first.every((x) => x === 0xa5)).toBe(true);
  });
});

describe('copyBytes', () => {
  it('equals slice, and is a copy', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.nat(), fc.nat(), (src, x, y) => {
        const from = src.length === 0 ? 0 : x % (src.length + 1);
        const to = from + (src.length - from === 0 ? 0 : y % (src.length - from + 1));
        const c = copyBytes(src, from, to);
        expect(Array.from(c)).toEqual(Array.from(src.slice(from, to)));
        if (c.length > 0) {
          c[0] = c[0]! ^ 0xff;
          expect(src[from]).not.toBe(c[0]);
        }
      }),
    );
  });
});
