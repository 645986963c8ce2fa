// Draws build/icon.png (512x512 RGBA): a meter face — rounded tile, dial with a needle, a digit window.
// Run: node build/make-icon.mjs. Pure node:zlib; edges are antialiased by coverage (4x4 samples).
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 512;
const px = new Uint8Array(N * N * 4);

function crc32(buf) {
  let c,
    crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

const roundedRect = (x, y, x0, y0, x1, y1, r) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
};
const circle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (x, y, cx, cy, r0, r1) => !circle(x, y, cx, cy, r0) && circle(x, y, cx, cy, r1);
const segment = (x, y, ax, ay, bx, by, w) => {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= w * w;
};

const CX = 256,
  CY = 230,
  R = 150;
const needleAngle = (-35 * Math.PI) / 180;
const nx = CX + Math.sin(needleAngle) * 120,
  ny = CY - Math.cos(needleAngle) * 120;

// Layers, bottom to top: [colour, inside(x, y)].
const layers = [
  [[0x1f, 0x5f, 0xa8], (x, y) => roundedRect(x, y, 24, 24, 488, 488, 96)],
  [[0xf4, 0xf7, 0xfb], (x, y) => circle(x, y, CX, CY, R)],
  [[0x1f, 0x5f, 0xa8], (x, y) => ring(x, y, CX, CY, R - 14, R - 6)],
  // Scale ticks on the upper arc.
  [
    [0x33, 0x3a, 0x44],
    (x, y) => {
      for (let i = -4; i <= 4; i++) {
        const a = (i * 22.5 * Math.PI) / 180;
        const s = Math.sin(a),
          c = Math.cos(a);
        if (segment(x, y, CX + s * (R - 42), CY - c * (R - 42), CX + s * (R - 24), CY - c * (R - 24), 4)) return true;
      }
      return false;
    },
  ],
  [[0xe0, 0x4b, 0x2b], (x, y) => segment(x, y, CX, CY, nx, ny, 7)],
  [[0x33, 0x3a, 0x44], (x, y) => circle(x, y, CX, CY, 16)],
  // The register's digit window.
  [[0x14, 0x1a, 0x22], (x, y) => roundedRect(x, y, 146, 400, 366, 452, 10)],
  [
    [0x6f, 0xe3, 0x9b],
    (x, y) => {
      for (let d = 0; d < 5; d++) {
        const x0 = 162 + d * 40;
        if (roundedRect(x, y, x0, 412, x0 + 26, 440, 3) && !roundedRect(x, y, x0 + 6, 418, x0 + 20, 434, 1)) return true;
      }
      return false;
    },
  ],
];

const S = 4;
for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    let r = 0,
      g = 0,
      b = 0,
      a = 0;
    for (let sy = 0; sy < S; sy++) {
      for (let sx = 0; sx < S; sx++) {
        const fx = x + (sx + 0.5) / S,
          fy = y + (sy + 0.5) / S;
        let colour = null;
        for (const [c, inside] of layers) if (inside(fx, fy)) colour = c;
        if (colour !== null) {
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a += 255;
        }
      }
    }
    const n = S * S,
      i = (y * N + x) * 4;
    const cover = a / 255;
    px[i] = cover ? Math.round(r / cover) : 0;
    px[i + 1] = cover ? Math.round(g / cover) : 0;
    px[i + 2] = cover ? Math.round(b / cover) : 0;
    px[i + 3] = Math.round(a / n);
  }
}

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0; // filter: none
  Buffer.from(px.buffer, y * N * 4, N * 4).copy(raw, y * (N * 4 + 1) + 1);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const outFile = new URL('./icon.png', import.meta.url);
writeFileSync(outFile, png);
console.log(`Wrote ${outFile.pathname} (${png.length} bytes)`);
