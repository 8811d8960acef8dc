/** Links to one view of an image: the aligned (restored) face, an anonymised face, the original photo. */
export interface V3ImageLinks {
  aligned_face: string | null;
  anonymised: string | null;
  original: string | null;
}

/** `parameters.<name>.masks`: image links per side, and the vector (GeoJSON) mask of the algorithm. */
export interface V3MaskLinks {
  front: V3ImageLinks;
  vector: { aligned_face: string; original: string };
}

/** What a mask link is built from; `sign(path)` turns a path into a signed, expiring URL. */
export interface V3MaskInput {
  sign: (path: string) => string;
  imageId: string;
  /** The algorithm whose mask it is. */
  algorithm: string;
  /** The photo links of `predicted_images.front`. */
  photos: V3ImageLinks;
}

/**
 * The mask links of a v3 parameter. Until masks are rasterised onto images, `front.*` are the photos
 * themselves (the aligned face and the original) and the mask is the vector at `vector.*`
 * (`GET /api/v3/masks/{image}/{algorithm}/{restored|original}`). A rasteriser replaces `front.*` here.
 */
export function v3MaskLinks(input: V3MaskInput): V3MaskLinks {
  const base = `/api/v3/masks/${input.imageId}/${input.algorithm}`;
  return {
    front: { ...input.photos },
    vector: { aligned_face: input.sign(`${base}/restored`), original: input.sign(`${base}/original`) },
  };
}
