import type { NotAssessableReason } from '@skinscope/engine';

/**
 * Plain-words explanations of each algorithm for the PDF report, written for the person in the
 * photo. Scores run 0-100 where 100 is best; classes follow DESIGN.md (Excellent > 90, Great > 80,
 * Good > 70, Average > 50, Poor > 30, Bad).
 */
export const METRIC_EXPLANATIONS: Record<string, string> = {
  quality:
    'How usable the photo is: sharpness, exposure, even light, colour cast, face size, head pose and occlusion. Low quality makes every other result less reliable.',
  age: 'The age the face looks, in years, judged from the whole face.',
  eye_age: 'The age the eye area looks, in years, from dark circles, bags and fine lines around the eyes.',
  skin_tone:
    'Your skin colour class from the Individual Typology Angle (ITA°), measured on clear skin after correcting the light where possible.',
  redness:
    'How free the skin is of redness: overall flush and local red patches. 100 means no visible redness.',
  uniformness: 'How even the skin tone is across the face: blotches of brown or red lower the score.',
  pigmentation:
    'How free the skin is of dark spots (sun spots, freckles, marks). The mask shows each spot found.',
  lines:
    'How smooth the skin is of lines and wrinkles on the forehead, between the brows, around the eyes and the nasolabial folds.',
  wrinkles:
    'The wrinkle score under its older name: deep and fine lines together. 100 means no visible lines.',
  sagging: 'How firm the lower face and jawline look. 100 means no visible sagging.',
  pores:
    'How fine the pores look: their number and size on the forehead, cheeks and chin. Needs a close, sharp photo.',
  acne: 'How clear the skin is of red spots and pimples. The mask shows each spot found.',
  skin_type:
    'Oily, normal, dry or combination, from the shine of the T-zone and the cheeks and the fine texture.',
  hydration:
    'Not scored: a photo cannot measure skin hydration repeatably, so Skinscope gives no number for it.',
  eye_area_condition: 'How rested the eye area looks: dark circles, eye bags and the tear trough.',
  translucency: 'How luminous and clear the skin looks: even light reflection and lightness.',
  face_detector: 'The face found in the photo and how sure the detector is.',
  facial_landmarks: 'The points that outline the face and its areas.',
};

/** The explanation of an algorithm, or a generic one for an algorithm added later. */
export function explanationOf(techName: string): string {
  return METRIC_EXPLANATIONS[techName] ?? 'A measurement of the skin from the photo.';
}

/** The engine's reason codes (`NotAssessableReason`), in plain words. */
export const REASONS: Record<NotAssessableReason, string> = {
  resolution: 'the face is too small in the photo for this measurement; take a closer photo',
  occluded: 'too much of the skin is hidden (hair, glasses, hands)',
  eye_closed: 'the eyes are closed',
  overexposed: 'the skin is overexposed (too bright to measure)',
  pose: 'the head is turned too far',
  no_skin: 'no skin could be measured there',
  no_face: 'no face was found in the photo',
  not_repeatable:
    'a photo cannot measure this repeatably: it changes more between photos of one person than between people',
  failed: 'the measurement failed',
};

/** A not-assessable reason code (and its detail) in words, for the PDF report and the dashboard. */
export function reasonWords(code: string | undefined, detail?: string): string {
  const known = code && code in REASONS ? REASONS[code as NotAssessableReason] : undefined;
  const text = known || detail || 'not measurable on this photo';
  return detail && known ? `${text} (${detail})` : text;
}
