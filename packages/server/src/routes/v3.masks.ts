import { renderPath } from '../masks/mask-links.ts';
import { DEFAULT_MASK_OPTIONS } from '../masks/mask-render.service.ts';

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
  companyId: string;
  imageId: string;
  /** The algorithm whose mask it is. */
  algorithm: string;
  /** The photo links of `predicted_images.front`. */
  photos: V3ImageLinks;
}

/**
 * The mask links of a v3 parameter: `front.original` and `front.aligned_face` are the photo and the
 * aligned face with the algorithm's mask drawn over them (the rasteriser's renders, `masks/`),
 * `front.anonymised` the anonymised face; `vector.*` the GeoJSON mask
 * (`GET /api/v3/masks/{image}/{algorithm}/{restored|original}`).
 */
export function v3MaskLinks(input: V3MaskInput): V3MaskLinks {
  const { sign, companyId, imageId, algorithm, photos } = input;
  const render = (imageType: 'original' | 'restored') =>
    sign(
      renderPath({ companyId, imageId, algorithm, imageType, format: 'jpg', options: DEFAULT_MASK_OPTIONS }),
    );
  const base = `/api/v3/masks/${imageId}/${algorithm}`;
  return {
    front: {
      aligned_face: photos.aligned_face ? render('restored') : null,
      anonymised: photos.anonymised,
      original: photos.original ? render('original') : null,
    },
    vector: { aligned_face: sign(`${base}/restored`), original: sign(`${base}/original`) },
  };
}
