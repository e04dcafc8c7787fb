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

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

interface Polyphase {
  up: number;
  down: number;
  taps: number;
  /** up x taps coefficients; phase p is used for outputs whose input position has fraction p / up. */
  filters: Float32Array;
  /** Offset of the first tap relative to floor(position). */
  first: number;
}

const polyphaseCache = new Map<string, Polyphase>();

/** Precomputes one filter per output phase when the rate ratio reduces to a small fraction (all usual rates). */
function polyphaseFor(fromRate: number, toRate: number): Polyphase | undefined {
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  if (up > 1024) return undefined;
  const key = `${fromRate}:${toRate}`;
  const cached = polyphaseCache.get(key);
  if (cached) return cached;
  const cutoff = Math.min(1, up / down) * 0.97;
  const halfWidth = ZERO_CROSSINGS / cutoff;
  const first = -Math.floor(halfWidth);
  const taps = 2 * Math.floor(halfWidth) + 2;
  const filters = new Float32Array(up * taps);
  for (let p = 0; p < up; p++) {
    const frac = p / up;
    for (let j = 0; j < taps; j++) {
      const x = frac - (first + j); // distance from the output position to input sample floor(pos) + first + j
      filters[p * taps + j] = Math.abs(x) * cutoff <= ZERO_CROSSINGS ? kernelAt(x * cutoff) * cutoff : 0;
    }
  }
  const pp = { up, down, taps, filters, first };
  polyphaseCache.set(key, pp);
  return pp;
}

/** Resamples `input` from `fromRate` to `toRate` Hz. Returns the input itself when the rates match. */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input;
  const pp = polyphaseFor(fromRate, toRate);
  if (!pp) return resampleDirect(input, fromRate, toRate);
  const outLength = Math.floor((input.length * pp.up) / pp.down);
  const out = new Float32Array(outLength);
  const last = input.length - 1;
  for (let n = 0; n < outLength; n++) {
    const num = n * pp.down; // input position = num / up
    const base = Math.floor(num / pp.up);
    const phase = num - base * pp.up;
    const f = phase * pp.taps;
    const start = base + pp.first;
    let acc = 0;
    if (start >= 0 && start + pp.taps - 1 <= last) {
      for (let j = 0; j < pp.taps; j++) acc += (input[start + j] as number) * (pp.filters[f + j] as number);
    } else {
      for (let j = 0; j < pp.taps; j++) {
        const k = start + j;
        if (k >= 0 && k <= last) acc += (input[k] ?? 0) * (pp.filters[f + j] ?? 0);
      }
    }
    out[n] = acc;
  }
  return out;
}

/** Direct windowed-sinc evaluation for rate pairs without a small common fraction. */
function resampleDirect(input: Float32Array, fromRate: number, toRate: number): Float32Array {
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
