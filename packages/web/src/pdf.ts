import type { ImageRef, SkinscopeClient } from '@skinscope/sdk';
import { message } from './dom.ts';

/** Fetches an image's PDF report through the SDK and hands it to the browser as a download. */
export async function downloadPdf(
  client: SkinscopeClient,
  ref: ImageRef,
  status: HTMLElement,
): Promise<void> {
  status.textContent = 'Preparing the PDF report…';
  try {
    const bytes = await client.pdfReport(ref);
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/pdf' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `skinscope-report-${ref.imageId}.pdf`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    status.textContent = 'PDF report downloaded.';
  } catch (e) {
    status.textContent = `Could not make the PDF: ${message(e)}`;
  }
}
