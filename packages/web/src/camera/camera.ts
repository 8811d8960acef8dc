import type { Human } from '@vladmandic/human';
import { h, message, mount } from '../dom.ts';
import { detectFaces, loadFaceModel } from './face-model.ts';
import { assessFrame, type Check, faceCropStats } from './guidance.ts';

/** Width of the face crop the light and sharpness checks read. */
const CROP_WIDTH = 128;
/** Pause between two guidance passes, ms. */
const PASS_MS = 120;

export interface CameraHandle {
  element: HTMLElement;
  stop(): void;
}

/**
 * The camera with live guidance: a mirrored preview with an oval, the checks updated a few times a second
 * by the in-browser face model, and a shutter that hands the frame (JPEG, not mirrored) to `onCapture`.
 */
export function openCamera(onCapture: (photo: Blob) => void): CameraHandle {
  const video = h('video', { class: 'camera-video', playsinline: true, muted: true, autoplay: true });
  video.muted = true;
  const checksList = h('ul', { class: 'checks', 'aria-label': 'Capture guidance' });
  const summary = h(
    'p',
    { class: 'guidance-summary', role: 'status', 'aria-live': 'polite' },
    'Starting the camera…',
  );
  const shutter = h('button', { type: 'button', class: 'primary', disabled: true }, 'Take photo');
  const element = h(
    'section',
    { class: 'camera', 'aria-label': 'Camera' },
    h('div', { class: 'camera-frame' }, video, h('div', { class: 'oval', 'aria-hidden': 'true' })),
    h('div', { class: 'camera-side' }, summary, checksList, shutter),
  );
  let stream: MediaStream | undefined;
  let human: Human | undefined;
  let stopped = false;
  let timer: number | undefined;
  const crop = document.createElement('canvas');

  const stop = () => {
    stopped = true;
    if (timer !== undefined) window.clearTimeout(timer);
    for (const track of stream?.getTracks() ?? []) track.stop();
  };

  const render = (checks: Check[]) => {
    mount(
      checksList,
      checks.map((c) =>
        h(
          'li',
          { class: c.ok ? 'ok' : 'warn', 'data-check': c.id },
          h('span', { class: 'mark', 'aria-hidden': 'true' }, c.ok ? '✓' : '!'),
          h('strong', {}, `${c.label}: `),
          h('span', { class: 'advice' }, c.advice),
          h('span', { class: 'visually-hidden' }, c.ok ? ' (fine)' : ' (needs attention)'),
        ),
      ),
    );
    const firstProblem = checks.find((c) => !c.ok);
    const text = firstProblem ? firstProblem.advice : 'All set: take the photo';
    if (summary.textContent !== text) summary.textContent = text;
    element.classList.toggle('ready', !firstProblem);
  };

  const pass = async () => {
    if (stopped || !human) return;
    if (video.readyState >= 2 && video.videoWidth > 0) {
      const faces = await detectFaces(human, video);
      const face = [...faces].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0];
      let stats: ReturnType<typeof faceCropStats> | undefined;
      if (face) {
        const [x, y, w, hh] = face.box;
        crop.width = CROP_WIDTH;
        crop.height = Math.max(1, Math.round((CROP_WIDTH * hh) / Math.max(1, w)));
        const g = crop.getContext('2d', { willReadFrequently: true })!;
        g.drawImage(video, x, y, w, hh, 0, 0, crop.width, crop.height);
        stats = faceCropStats(g.getImageData(0, 0, crop.width, crop.height).data, crop.width, crop.height);
      }
      if (stopped) return;
      render(assessFrame({ width: video.videoWidth, height: video.videoHeight, faces, stats }));
    }
    timer = window.setTimeout(() => void pass(), PASS_MS);
  };

  shutter.addEventListener('click', () => {
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')!.drawImage(video, 0, 0);
    canvas.toBlob(
      (blob) => {
        if (!blob) return;
        stop();
        onCapture(blob);
      },
      'image/jpeg',
      0.92,
    );
  });

  (async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 960 } },
        audio: false,
      });
      if (stopped) return stop();
      video.srcObject = stream;
      await video.play();
      shutter.disabled = false;
    } catch (error) {
      summary.textContent = `The camera is unavailable: ${message(error)}. Upload a photo instead.`;
      return;
    }
    try {
      summary.textContent = 'Loading the face guide…';
      human = await loadFaceModel();
      void pass();
    } catch (error) {
      summary.textContent = `The face guide could not load (${message(error)}); you can still take the photo.`;
    }
  })();

  return { element, stop };
}
