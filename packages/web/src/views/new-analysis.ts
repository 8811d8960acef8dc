import { openCamera } from '../camera/camera.ts';
import { h, message, mount, statusLine } from '../dom.ts';
import { openLiveProgress } from '../live/progress.ts';
import type { Session } from '../session.ts';
import { resultView } from './result.ts';

/** Waits for the sockets at most this long; past it the result view polls instead. */
const SOCKET_WAIT_MS = 3000;

/** A new analysis: a photo from a file or from the camera with live guidance, uploaded through the SDK. */
export async function newAnalysisView(
  session: Session,
  datasetId: string,
  subjectId: string,
  host: HTMLElement,
): Promise<HTMLElement> {
  const { client, companyId } = session;
  const subject = await client.getSubject(companyId, datasetId, subjectId);
  const status = statusLine();
  const file = h('input', { id: 'photo-file', type: 'file', accept: 'image/jpeg,image/png,image/webp' });
  const uploadButton = h('button', { type: 'submit', class: 'primary' }, 'Upload and analyse');
  const uploadForm = h(
    'form',
    { class: 'card', 'aria-labelledby': 'upload-title' },
    h('h2', { id: 'upload-title' }, 'Upload a photo'),
    h('label', { for: 'photo-file' }, 'Photo (JPEG, PNG or WebP; the face straight on, even light)'),
    file,
    uploadButton,
  );
  const cameraSlot = h('div', {});
  const cameraButton = h('button', { type: 'button' }, 'Use the camera');
  let camera: ReturnType<typeof openCamera> | undefined;

  const analyse = async (photo: Blob) => {
    status.textContent = 'Uploading…';
    uploadButton.disabled = true;
    const live = openLiveProgress(session);
    try {
      await Promise.race([live.ready, new Promise((r) => setTimeout(r, SOCKET_WAIT_MS))]).catch(() => {});
      await ensureAnalysed(session, datasetId, status);
      const batch = await client.createBatch(companyId, datasetId, subjectId);
      const bytes = new Uint8Array(await photo.arrayBuffer());
      const image = await client.uploadImage(
        { companyId, datasetId, subjectId, batchId: batch.id },
        { bytes },
      );
      const ref = { companyId, datasetId, subjectId, batchId: batch.id, imageId: image.id };
      history.replaceState(null, '', `#/d/${datasetId}/s/${subjectId}/b/${batch.id}/i/${image.id}`);
      mount(host, await resultView(session, ref, live));
    } catch (e) {
      live.close();
      status.textContent = `Upload failed: ${message(e)}`;
      uploadButton.disabled = false;
    }
  };

  uploadForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) {
      status.textContent = 'Choose a photo first.';
      file.focus();
      return;
    }
    void analyse(chosen);
  });
  cameraButton.addEventListener('click', () => {
    if (camera) return;
    camera = openCamera((photo) => {
      camera = undefined;
      void analyse(photo);
    });
    mount(cameraSlot, camera.element);
    cameraButton.disabled = true;
  });
  window.addEventListener('hashchange', () => camera?.stop(), { once: true });

  return h(
    'section',
    { 'aria-labelledby': 'new-title' },
    h(
      'nav',
      { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/' }, 'Datasets'),
      ' / ',
      h('a', { href: `#/d/${datasetId}` }, subject.dataset.name ?? 'Dataset'),
      ' / ',
      h('a', { href: `#/d/${datasetId}/s/${subjectId}` }, subject.name),
    ),
    h('h1', { id: 'new-title' }, `New analysis for ${subject.name}`),
    status,
    h(
      'div',
      { class: 'two-up' },
      uploadForm,
      h(
        'div',
        { class: 'card', role: 'group', 'aria-labelledby': 'camera-title' },
        h('h2', { id: 'camera-title' }, 'Take a selfie'),
        h(
          'p',
          {},
          'The guide checks your face position, distance, light, sharpness and pose before the shot.',
        ),
        cameraButton,
        cameraSlot,
      ),
    ),
  );
}

/** Attaches the skin application to the dataset when it has none, so the photo is analysed and not only stored. */
async function ensureAnalysed(session: Session, datasetId: string, status: HTMLElement): Promise<void> {
  const { client, companyId } = session;
  const apps = (await client.listApplications(companyId)).results;
  for (const app of apps) {
    const runs = await client.listApplicationRuns(companyId, app.id, datasetId);
    if (runs.count > 0) continue;
    await client.attachApplication(companyId, app.id, datasetId);
    status.textContent = `“${app.name}” is now attached to this dataset. Uploading…`;
  }
}
