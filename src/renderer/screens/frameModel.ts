/** Protocol-monitor view-model: a bounded buffer of decoded frames and its counters. */
import type { DecodedFrame } from '../../shared/contract';

export const FRAME_BUFFER_LIMIT = 500;

export interface FrameBuffer {
  frames: DecodedFrame[];
  /** Frames seen since the last clear, including those dropped from the bounded buffer. */
  total: number;
  tx: number;
  rx: number;
  /** Frames that failed to decode (CRC, framing). */
  bad: number;
}

export const EMPTY_FRAMES: FrameBuffer = { frames: [], total: 0, tx: 0, rx: 0, bad: 0 };

export function appendFrame(buf: FrameBuffer, frame: DecodedFrame, limit = FRAME_BUFFER_LIMIT): FrameBuffer {
  const frames =
    buf.frames.length >= limit
      ? [...buf.frames.slice(buf.frames.length - limit + 1), frame]
      : [...buf.frames, frame];
  return {
    frames,
    total: buf.total + 1,
    tx: buf.tx + (frame.direction === 'tx' ? 1 : 0),
    rx: buf.rx + (frame.direction === 'rx' ? 1 : 0),
    bad: buf.bad + (frame.ok ? 0 : 1),
  };
}

/** "AB CD EF ..." grouped by byte, cut to `maxBytes` with an ellipsis. */
export function formatHex(hex: string, maxBytes = 48): string {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  const bytes = clean.match(/.{1,2}/g) ?? [];
  const shown = bytes.slice(0, maxBytes).join(' ');
  return bytes.length > maxBytes ? `${shown} … (${bytes.length} bytes)` : shown;
}
