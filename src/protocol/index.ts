/** The telemetry wire protocol shared by the pump (firmware-sim) and the programmer. See docs/protocol.md. */
export { crc32, CRC32_CHECK } from './crc';
export { cobsEncode, cobsDecode } from './cobs';
export { rsEncode, rsDecode, rsGenerator, RS_PRIMITIVE_POLY, RS_FCR, type RsDecoded } from './reed-solomon';
export {
  fecEncode,
  fecDecode,
  lineLength,
  frameLengthOfLine,
  FEC_PARITY,
  FEC_BLOCK_DATA,
  FEC_MASK_BYTES,
  type FecDecoded,
} from './fec';
export { DEFAULT_DEMO_KEY, deriveSessionKey, computeMac, MAC_BYTES, NONCE_BYTES } from './auth';
export {
  PROTOCOL_VERSION,
  MAX_FRAME_BYTES,
  MAX_PAYLOAD_BYTES,
  MAX_ENCODED_BYTES,
  FLAG_AUTH,
  buildFrame,
  wrapFrame,
  encodeFrame,
  parseFrame,
  FrameDecoder,
  type Frame,
  type FrameHeader,
  type FrameInput,
  type FrameResult,
  type FrameErrorCode,
} from './frame';
export * from './messages';
export {
  createPumpEndpoint,
  DEFAULT_SESSION_TIMEOUT_MS,
  DEFAULT_EVENT_RETRY_MS,
  DEFAULT_MAX_QUEUED_EVENTS,
  type PumpEndpoint,
  type PumpEndpointOptions,
  type PumpEndpointStats,
  type SessionInfo,
} from './pump-endpoint';
export {
  PumpClient,
  ProtocolError,
  LinkTimeoutError,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_RETRIES,
  type ByteLink,
  type PumpClientOptions,
  type ClientStats,
  type SessionDetails,
} from './client';
