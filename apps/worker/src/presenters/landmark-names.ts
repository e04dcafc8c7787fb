/**
 * Names of the 68 iBUG points, region by region (jaw 17, brows 5+5, nose bridge 4, lower nose 5, eyes 6+6,
 * outer lip 12, inner lip 8). "left"/"right" are the subject's, as in the iBUG annotation.
 */
const REGIONS: Array<[string, number]> = [
  ['jaw', 17],
  ['right_eyebrow', 5],
  ['left_eyebrow', 5],
  ['nose_bridge', 4],
  ['nose_tip', 5],
  ['right_eye', 6],
  ['left_eye', 6],
  ['outer_lip', 12],
  ['inner_lip', 8],
];

export const LANDMARK_NAMES: readonly string[] = REGIONS.flatMap(([name, count]) =>
  Array.from({ length: count }, (_, i) => `${name}_${i}`),
);
