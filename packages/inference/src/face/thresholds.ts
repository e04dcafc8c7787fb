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
  /**
   * Quality checks (docs/quality.md: definition, source of each default, measured accuracy). The first six
   * keys are seed 001's `default_thresholds`; every key drives one test of the seed 000 verdict.
   */
  quality: {
    /** Max share of face pixels at luma <= 40 (shadows without detail). brightness_problem above it. */
    underexposure: 0.35,
    /** Max share of face pixels at luma >= 235 (clipped highlights). brightness_problem above it. */
    overexposure: 0.25,
    /** Min face sharpness (contrast-normalised Laplacian energy, 0..1). sharpness_problem under it. */
    sharpness: 0.3,
    /** Max colour degradation (grey or cast, 0..1); reported, not part of the seed 000 verdict. */
    color: 0.6,
    /** Max total head rotation (degrees, axis-angle of yaw/pitch/roll). inclined_face above it. */
    rotation: 30,
    /** Min liveness probability for "live". */
    liveness: 0.5,
    /** Max |mean face luma| offset from mid-grey, -1..1. brightness_problem above it. */
    brightness: 0.6,
    /** Max |yaw| in degrees (ISO/IEC 19794-5 asks 5 for passports; 20 tolerates model error ~6). */
    maxYaw: 20,
    /** Max |pitch| in degrees (looser than yaw: the pose model reads frontal photos ~10-15 down). */
    maxPitch: 25,
    /** Max |roll| in degrees (ISO/IEC 19794-5 allows 8; 10 leaves room for landmark noise). */
    maxRoll: 10,
    /** Min face area / image area: seed 000 "the face must occupy at least 15% of the photo". distant_face. */
    minFaceArea: 0.15,
    /** Max face area / image area (ICAO head height 70-80% of the frame = face box ~50%). close_face. */
    maxFaceArea: 0.6,
    /** Min seed 003 distance2center (1 - offset / short side). not_centered under it. */
    minCenterScore: 0.8,
    /** Min share of the face region inside the image. not_centered (cut at the border) under it. */
    minIntegrity: 0.97,
    /** Min per-region occlusion score (1 = clear) of eyes, nose, mouth. wearing_acessories under it. */
    minRegionClear: 0.5,
    /** Eye-model open probability under which an eye may be closed (confirmed by the aspect ratio). */
    eyeOpenProbability: 0.5,
    /** Eye aspect ratio under which an eye counts closed (open eyes measure 0.23-0.39, closed 0.13-0.22). */
    eyeClosedAspect: 0.22,
    /** Inner-lip gap / face height above which the mouth is open (closed 0.00-0.03, open 0.06+). */
    mouthOpenGap: 0.06,
    /** Expression-model probability of "happy" above which the face is smiling. */
    smileProbability: 0.5,
    /** Faces narrower than this share of the largest face's width are background, not a second face. */
    secondFaceMinWidth: 0.25,
    /** Min context scale around the box for a reliable liveness score (the model is trained at 2.7). */
    livenessMinContext: 2.4,
    /**
     * Min distance between eye centres, pixels. Seed 004 FACE_TOO_SMALL. ISO/IEC 19794-5 asks 60 (token) to 90
     * for document photos; 32 is where landmarks and the 24 px eye crops stop resolving the eye.
     */
    minInterPupillary: 32,
    /** Max |yaw| or |pitch| for seed 004's FACE_ANGLE_TOO_LARGE ("extremely large" out-of-plane rotation). */
    maxOutOfPlane: 35,
  },
} as const;

export type FaceThresholds = typeof FACE_THRESHOLDS;
