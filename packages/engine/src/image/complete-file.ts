/**
 * Whether an image file's structure runs to its end marker, read without decoding a pixel: a JPEG's
 * segments and entropy-coded scans up to EOI (ITU-T T.81 §B.1), a PNG's chunks up to IEND (PNG spec
 * §5.3). A file cut short anywhere lacks that marker where the structure says it should be, which is
 * what libjpeg and libpng report as truncation. Undefined for other formats (the caller decodes them).
 * A JPEG's entropy-coded data holds no marker other than RST0-7 (every other 0xFF byte is followed
 * by a stuffed 0x00), so the scan search cannot mistake pixel data for a marker.
 */
export function endsCompletely(bytes: Uint8Array, format: string): boolean | undefined {
  if (format === 'jpeg') return jpegReachesEoi(bytes);
  if (format === 'png') return pngReachesIend(bytes);
  return undefined;
}

const SOS = 0xda;
const EOI = 0xd9;

function isStandaloneMarker(m: number): boolean {
  return m === 0x01 || (m >= 0xd0 && m <= 0xd8);
}

function jpegReachesEoi(bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (n < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return false;
  let i = 2;
  while (i < n) {
    if (bytes[i] !== 0xff) {
      i = bytes.indexOf(0xff, i);
      if (i < 0) return false;
      continue;
    }
    while (i + 1 < n && bytes[i + 1] === 0xff) i++;
    if (i + 1 >= n) return false;
    const marker = bytes[i + 1]!;
    if (marker === EOI) return true;
    if (isStandaloneMarker(marker)) {
      i += 2;
      continue;
    }
    if (i + 3 >= n) return false;
    const end = i + 2 + ((bytes[i + 2]! << 8) | bytes[i + 3]!);
    if (end > n) return false;
    i = marker === SOS ? nextMarkerAfterScan(bytes, end) : end;
    if (i < 0) return false;
  }
  return false;
}

/** The offset of the first marker after entropy-coded data starting at `from`, or −1. */
function nextMarkerAfterScan(bytes: Uint8Array, from: number): number {
  let i = from;
  for (;;) {
    i = bytes.indexOf(0xff, i);
    if (i < 0 || i + 1 >= bytes.length) return -1;
    const next = bytes[i + 1]!;
    if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) return i;
    i += next === 0xff ? 1 : 2;
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** "IEND" as a big-endian 32-bit chunk type. */
const IEND = 0x49454e44;

function pngReachesIend(bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (n < 8 || PNG_SIGNATURE.some((b, k) => bytes[k] !== b)) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = 8;
  while (i + 8 <= n) {
    const length = view.getUint32(i);
    const type = view.getUint32(i + 4);
    const end = i + 12 + length;
    if (end > n) return false;
    if (type === IEND) return true;
    i = end;
  }
  return false;
}
