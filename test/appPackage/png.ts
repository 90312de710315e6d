import { inflateSync } from 'node:zlib';

/** The PNG signature every file starts with. */
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Bytes per pixel for the 8-bit colour types this decoder supports (greyscale, RGB, grey+alpha, RGBA). */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** The fields of a PNG IHDR chunk. */
export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  /** 0 greyscale, 2 RGB, 3 palette, 4 greyscale + alpha, 6 RGBA. */
  colourType: number;
  interlace: number;
}

/** A decoded 8-bit, non-interlaced PNG: one row of `width * channels` bytes per line. */
export interface DecodedPng extends PngHeader {
  channels: number;
  rows: Uint8Array[];
}

/**
 * Reads the IHDR header: the first chunk, right after the signature, with the width at bytes 16..19
 * and the height at bytes 20..23 of the file.
 */
export function readPngHeader(file: Buffer): PngHeader {
  if (!file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file (bad signature)');
  if (file.toString('latin1', 12, 16) !== 'IHDR') throw new Error('the first PNG chunk is not IHDR');
  return {
    width: file.readUInt32BE(16),
    height: file.readUInt32BE(20),
    bitDepth: file.readUInt8(24),
    colourType: file.readUInt8(25),
    interlace: file.readUInt8(28),
  };
}

/**
 * Decodes an 8-bit, non-interlaced greyscale/RGB/RGBA PNG (enough for app icons): joins the IDAT
 * chunks, inflates them and reverses the per-row filters.
 */
export function decodePng(file: Buffer): DecodedPng {
  const header = readPngHeader(file);
  const channels = CHANNELS[header.colourType];
  if (header.bitDepth !== 8 || channels === undefined || header.interlace !== 0) {
    throw new Error(
      `unsupported PNG: bit depth ${header.bitDepth}, colour type ${header.colourType}, interlace ${header.interlace}`,
    );
  }
  const inflated = inflateSync(Buffer.concat(idatChunks(file)));
  const stride = header.width * channels;
  if (inflated.length !== header.height * (stride + 1)) {
    throw new Error(`PNG image data has ${inflated.length} bytes, expected ${header.height * (stride + 1)}`);
  }
  const rows: Uint8Array[] = [];
  let previous = new Uint8Array(stride);
  for (let y = 0; y < header.height; y++) {
    const start = y * (stride + 1);
    const filter = inflated[start];
    const row = Uint8Array.from(inflated.subarray(start + 1, start + 1 + stride));
    unfilterRow(filter, row, previous, channels);
    rows.push(row);
    previous = row;
  }
  return { ...header, channels, rows };
}

function idatChunks(file: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  let offset = SIGNATURE.length;
  while (offset + 8 <= file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('latin1', offset + 4, offset + 8);
    if (type === 'IDAT') chunks.push(file.subarray(offset + 8, offset + 8 + length));
    if (type === 'IEND') return chunks;
    offset += 12 + length; // length + type + data + CRC
  }
  throw new Error('PNG file ends without an IEND chunk');
}

/** Reverses one of the five PNG filter types in place (PNG spec, section 9). */
function unfilterRow(filter: number, row: Uint8Array, previous: Uint8Array, bpp: number): void {
  for (let i = 0; i < row.length; i++) {
    const left = i >= bpp ? row[i - bpp] : 0;
    const up = previous[i];
    const upLeft = i >= bpp ? previous[i - bpp] : 0;
    let predictor: number;
    switch (filter) {
      case 0:
        return;
      case 1:
        predictor = left;
        break;
      case 2:
        predictor = up;
        break;
      case 3:
        predictor = Math.floor((left + up) / 2);
        break;
      case 4:
        predictor = paeth(left, up, upLeft);
        break;
      default:
        throw new Error(`unknown PNG filter type ${filter}`);
    }
    row[i] = (row[i] + predictor) & 0xff;
  }
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}
