/**
 * Accessories drawn onto real photos, for measuring the glasses and hand cues where real examples are too few
 * (docs/quality.md): clear glasses of several frame kinds placed from the landmarks, and a hand silhouette
 * filled with skin cut from a real photo's cheek (the same person's or another's), over the mouth, an eye or
 * the cheek. Constructed cases test a cue's sensitivity to what was drawn, not real-world accuracy.
 */
import sharp from 'sharp';
import type { FaceResult, Point } from '@biogate/contracts';

export interface GlassesKind {
  name: string;
  /** Frame colour and stroke width (share of the eye distance). */
  stroke: string;
  width: number;
  opacity: number;
  /** Lens size, share of the eye distance. */
  lensW: number;
  lensH: number;
  tint?: string;
}

export const GLASSES_KINDS: readonly GlassesKind[] = [
  { name: 'thin black metal', stroke: '#151515', width: 0.018, opacity: 1, lensW: 0.78, lensH: 0.52 },
  { name: 'thin silver metal', stroke: '#b8b8b8', width: 0.015, opacity: 1, lensW: 0.78, lensH: 0.5 },
  { name: 'thick dark plastic', stroke: '#2a1a10', width: 0.05, opacity: 1, lensW: 0.8, lensH: 0.55 },
  { name: 'translucent brown frame', stroke: '#8a5a3a', width: 0.035, opacity: 0.5, lensW: 0.82, lensH: 0.58, tint: '#8a5a3a' },
  { name: 'small lenses, thin dark', stroke: '#202020', width: 0.02, opacity: 1, lensW: 0.62, lensH: 0.4 },
];

const mean = (l68: readonly Point[], idx: number[]): Point => ({
  x: idx.reduce((a, i) => a + l68[i]!.x, 0) / idx.length,
  y: idx.reduce((a, i) => a + l68[i]!.y, 0) / idx.length,
});

/** Draws glasses (two rounded lenses and a bridge) along the eye line of `face`. */
export async function drawGlasses(bytes: Uint8Array, width: number, height: number, face: FaceResult, kind: GlassesKind): Promise<Buffer> {
  const l68 = face.landmarks68;
  const le = mean(l68, [37, 38, 40, 41]);
  const re = mean(l68, [43, 44, 46, 47]);
  const d = Math.hypot(re.x - le.x, re.y - le.y);
  const angle = (Math.atan2(re.y - le.y, re.x - le.x) * 180) / Math.PI;
  const lw = kind.lensW * d;
  const lh = kind.lensH * d;
  const sw = Math.max(1, kind.width * d);
  const stroke = `stroke="${kind.stroke}" stroke-width="${sw}" stroke-opacity="${kind.opacity}"`;
  const lens = (x: number) =>
    `<rect x="${x - lw / 2}" y="${-0.45 * lh + 0.06 * d}" width="${lw}" height="${lh}" rx="${0.25 * lh}" fill="${kind.tint ?? 'none'}" fill-opacity="0.12" ${stroke}/>`;
  const bridge = `<path d="M ${-d / 2 + lw / 2} ${-0.2 * lh} Q 0 ${-0.35 * lh} ${d / 2 - lw / 2} ${-0.2 * lh}" fill="none" ${stroke}/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><g transform="translate(${(le.x + re.x) / 2} ${(le.y + re.y) / 2}) rotate(${angle})">${lens(-d / 2)}${lens(d / 2)}${bridge}</g></svg>`;
  return sharp(bytes).rotate().composite([{ input: Buffer.from(svg), left: 0, top: 0 }]).jpeg({ quality: 92 }).toBuffer();
}

export type HandPlacement = 'mouth' | 'eye' | 'cheek';
export const HAND_PLACEMENTS: readonly HandPlacement[] = ['mouth', 'eye', 'cheek'];

/** Palm, four fingers (pointing right) and a thumb as a white SVG mask; dark lines between the fingers. */
function handSvg(w: number, h: number): { mask: Buffer; lines: Buffer } {
  const fh = h / 4.6;
  const fingerY = (i: number) => h * 0.08 + i * fh * 1.02;
  const fingers = [0.5, 0.56, 0.54, 0.42].map((len, i) => `<rect x="${0.45 * w}" y="${fingerY(i)}" width="${len * w}" height="${fh}" rx="${fh / 2}"/>`).join('');
  const palm = `<ellipse cx="${0.35 * w}" cy="${0.5 * h}" rx="${0.35 * w}" ry="${0.47 * h}"/>`;
  const thumb = `<rect x="${0.2 * w}" y="${0.78 * h}" width="${0.45 * w}" height="${fh}" rx="${fh / 2}" transform="rotate(-18 ${0.2 * w} ${0.78 * h})"/>`;
  const gaps = [1, 2, 3].map((i) => `<line x1="${0.5 * w}" y1="${fingerY(i)}" x2="${0.95 * w}" y2="${fingerY(i)}" stroke="#000" stroke-opacity="0.35" stroke-width="${Math.max(1, fh * 0.08)}"/>`);
  const svg = (body: string) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${body}</svg>`);
  return { mask: svg(`<g fill="#fff">${palm}${fingers}${thumb}</g>`), lines: svg(gaps.join('')) };
}

/** The donor's cheek under its image-left eye, stretched to w x h, shaded darker towards the bottom. */
async function skinPatch(donor: Uint8Array, face: FaceResult, w: number, h: number): Promise<Buffer> {
  const l = face.landmarks68;
  const x1 = Math.round(l[1]!.x + 0.25 * (l[31]!.x - l[1]!.x));
  const x2 = Math.round(l[31]!.x - 0.1 * (l[31]!.x - l[1]!.x));
  const y1 = Math.round(l[41]!.y + 0.25 * (l[48]!.y - l[41]!.y));
  const y2 = Math.round(l[48]!.y - 0.1 * (l[48]!.y - l[41]!.y));
  const patch = await sharp(donor)
    .rotate()
    .extract({ left: Math.max(0, x1), top: Math.max(0, y1), width: Math.max(4, x2 - x1), height: Math.max(4, y2 - y1) })
    .resize(w, h, { fit: 'fill' })
    .toBuffer();
  const shade = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#fff" stop-opacity="0.08"/><stop offset="1" stop-color="#000" stop-opacity="0.18"/></linearGradient></defs><rect width="${w}" height="${h}" fill="url(#g)"/></svg>`,
  );
  return sharp(patch).composite([{ input: shade }]).png().toBuffer();
}

/** Pastes a hand made of the donor's cheek skin over the target face (mouth, image-left eye, or left cheek). */
export async function pasteHand(target: Uint8Array, width: number, height: number, face: FaceResult, donor: Uint8Array, donorFace: FaceResult, where: HandPlacement): Promise<Buffer> {
  const l = face.landmarks68;
  const faceW = Math.hypot(l[16]!.x - l[0]!.x, l[16]!.y - l[0]!.y);
  const spec = {
    mouth: { cx: l[57]!.x + 0.15 * faceW, cy: (l[62]!.y + l[66]!.y) / 2 + 0.04 * faceW, w: 0.95, h: 0.55, angle: 0 },
    eye: { cx: l[37]!.x + 0.1 * faceW, cy: l[41]!.y + 0.05 * faceW, w: 0.8, h: 0.5, angle: -15 },
    cheek: { cx: l[3]!.x + 0.1 * faceW, cy: (l[2]!.y + l[5]!.y) / 2, w: 0.8, h: 0.45, angle: -70 },
  }[where];
  const w = Math.max(8, Math.round(spec.w * faceW));
  const h = Math.max(8, Math.round(spec.h * faceW));
  const { mask, lines } = handSvg(w, h);
  let hand = await sharp(await skinPatch(donor, donorFace, w, h)).composite([{ input: lines }, { input: mask, blend: 'dest-in' }]).png().toBuffer();
  if (spec.angle) hand = await sharp(hand).rotate(spec.angle, { background: { r: 0, g: 0, b: 0, alpha: 0 } }).png().toBuffer();
  const meta = await sharp(hand).metadata();
  // Clip the overlay to the image.
  const left = Math.round(spec.cx - meta.width / 2);
  const top = Math.round(spec.cy - meta.height / 2);
  const cut = { left: Math.max(0, -left), top: Math.max(0, -top) };
  const cw = Math.min(meta.width - cut.left, width - Math.max(0, left));
  const ch = Math.min(meta.height - cut.top, height - Math.max(0, top));
  if (cw < 1 || ch < 1) return sharp(target).rotate().jpeg({ quality: 92 }).toBuffer();
  hand = await sharp(hand).extract({ ...cut, width: cw, height: ch }).png().toBuffer();
  return sharp(target).rotate().composite([{ input: hand, left: Math.max(0, left), top: Math.max(0, top) }]).jpeg({ quality: 92 }).toBuffer();
}
