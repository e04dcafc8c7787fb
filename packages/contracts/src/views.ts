/**
 * Seed 000/002 object views, shared by the API (reads) and the worker (results of registration and
 * validation jobs) so both answer field for field alike. Structural input types keep contracts a leaf.
 */

export interface ImageLike {
  id: string;
  byteSize: number;
  width: number | null;
  height: number | null;
  createdAt: Date;
}

export interface RegistrationLike {
  id: string;
  documentNumber: string;
  status: string;
  createdAt: Date;
}

export interface ValidationLike {
  id: string;
  documentNumber: string;
  similarity: number;
  similarityRatio: number;
  result: string;
  createdAt: Date;
}

/** The seed's timestamps are second-precision UTC: `2020-07-29T18:40:57Z`. */
export const seedDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** `12345678909` -> `123.456.789-09`, the form the seed's examples show. */
export function formatCpf(digits: string): string {
  return `${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6, 9)}-${digits.slice(9)}`;
}

export function imageView(blob: ImageLike) {
  return {
    image_key: blob.id,
    file_size: blob.byteSize,
    width_px: blob.width ?? 0,
    height_px: blob.height ?? 0,
    created_at: seedDate(blob.createdAt),
  };
}

export function registrationRef(r: RegistrationLike) {
  return { registration_key: r.id, registration_status: r.status, registration_date: seedDate(r.createdAt) };
}

export function registrationView(r: RegistrationLike, image: ImageLike | null) {
  return {
    ...registrationRef(r),
    document_number: formatCpf(r.documentNumber),
    image: image ? imageView(image) : null,
  };
}

export function validationView(v: ValidationLike, image: ImageLike | null, registration: RegistrationLike | null) {
  return {
    validation_key: v.id,
    document_number: formatCpf(v.documentNumber),
    image: image ? imageView(image) : null,
    registration: registration ? registrationRef(registration) : null,
    similarity_ratio: v.similarityRatio,
    validation_result: v.result,
    validation_date: seedDate(v.createdAt),
  };
}
