/**
 * Every decision threshold of the face engine in one documented object. Values come from measurements on
 * real photos (docs/face-calibration.md for verification); the API returns them as `default_thresholds`.
 * The quality module adds its thresholds to this same object.
 */
export const FACE_THRESHOLDS = {
  detection: {
    /** Minimum detector face score (softmax, 0..1) to keep a box. */
    minScore: 0.65,
    /** IoU above which two boxes are the same face (score-sorted NMS). */
    nmsIou: 0.4,
    /** Share of the smaller box inside a higher-scored one above which it is a duplicate (tiles cut faces). */
    containment: 0.6,
  },
  verification: {
    /**
     * Cosine similarity at or above which two faces are the same person. Chosen from the table in
     * docs/face-calibration.md (0 false matches measured there; few identities, so re-calibrate).
     */
    cosine: 0.45,
  },
} as const;

export type FaceThresholds = typeof FACE_THRESHOLDS;
