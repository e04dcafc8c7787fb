/**
 * Band-limited resampling by windowed-sinc interpolation (Kaiser window, tabulated kernel). Any rate pair;
 * the cutoff follows the lower of the two Nyquist frequencies so downsampling does not alias.
 */
const ZERO_CROSSINGS = 16;
const TABLE_STEPS = 256; // kernel samples per zero crossing; linear interpolation in between
const KAISER_BETA = 8.6;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 30; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

const KERNEL = (() => {
  const n = ZERO_CROSSINGS * TABLE_STEPS + 2;
  const t = new Float32Array(n);
  const norm = besselI0(KAISER_BETA);
  for (let i = 0; i < n; i++) {
    const x = i / TABLE_STEPS;
    const r = Math.min(1, x / ZERO_CROSSINGS);
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    t[i] = sinc * (besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / norm);
  }
  return t;
})();

function kernelAt(x: number): number {
  const a = Math.abs(x) * TABLE_STEPS;
  const i = Math.floor(a);
  const f = a - i;
  const k0 = KERNEL[i] ?? 0;
  const k1 = KERNEL[i + 1] ?? 0;
  return k0 + (k1 - k0) * f;
}

/** Resamples `input` from `fromRate` to `toRate` Hz. Returns the input itself when the rates match. */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input;
  const ratio = toRate / fromRate;
  const cutoff = Math.min(1, ratio) * 0.97; // a little below Nyquist for the transition band
  const outLength = Math.floor(input.length * ratio);
  const out = new Float32Array(outLength);
  const halfWidth = ZERO_CROSSINGS / cutoff; // in input samples
  for (let n = 0; n < outLength; n++) {
    const t = n / ratio;
    const lo = Math.max(0, Math.ceil(t - halfWidth));
    const hi = Math.min(input.length - 1, Math.floor(t + halfWidth));
    let acc = 0;
    for (let k = lo; k <= hi; k++) acc += (input[k] ?? 0) * kernelAt((t - k) * cutoff);
    out[n] = acc * cutoff;
  }
  return out;
}
