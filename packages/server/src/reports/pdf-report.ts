import PDFDocument from 'pdfkit';
import type { HistorySeries, ReportData, ReportMetric } from './report-data.ts';

/** Colours of the score classes (Excellent ... Bad) on the bars and in the class column. */
const CLASS_COLOURS: Record<string, string> = {
  Excellent: '#1b873f',
  Great: '#4caf50',
  Good: '#8bc34a',
  Average: '#f9a825',
  Poor: '#ef6c00',
  Bad: '#c62828',
};
/** The history lines' colour. */
export const CHART_COLOUR = '#1565c0';
const GREY = '#555555';
const MARGIN = 40;

const day = (iso: string) => iso.slice(0, 10);

function ensureRoom(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
}

function metricRow(doc: PDFKit.PDFDocument, m: ReportMetric, width: number): void {
  const explanation = m.notAssessable
    ? `${m.explanation} Not assessable: ${m.notAssessable}.`
    : m.explanation;
  doc.font('Helvetica').fontSize(8);
  const textHeight = doc.heightOfString(explanation, { width });
  ensureRoom(doc, 18 + textHeight + 8);
  const y = doc.y;
  doc.font('Helvetica-Bold').fontSize(10).fillColor('#000000').text(m.name, MARGIN, y, { width: 190 });
  doc
    .font(m.notAssessable ? 'Helvetica-Oblique' : 'Helvetica-Bold')
    .fillColor(m.notAssessable ? GREY : '#000000')
    .text(m.shown, MARGIN + 195, y, { width: 95 });
  if (m.cls)
    doc
      .font('Helvetica')
      .fillColor(CLASS_COLOURS[m.cls] ?? '#000000')
      .text(m.cls, MARGIN + 295, y, { width: 80 });
  if (m.score !== null) {
    const x = MARGIN + 380;
    const barWidth = width - 380;
    doc
      .rect(x, y + 2, barWidth, 7)
      .fillColor('#e0e0e0')
      .fill();
    doc
      .rect(x, y + 2, (barWidth * m.score) / 100, 7)
      .fillColor(CLASS_COLOURS[m.cls ?? ''] ?? CHART_COLOUR)
      .fill();
  }
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor(GREY)
    .text(explanation, MARGIN, y + 14, { width });
  doc.y = y + 14 + textHeight + 8;
}

function chart(doc: PDFKit.PDFDocument, s: HistorySeries, x: number, y: number, w: number, h: number): void {
  doc.font('Helvetica-Bold').fontSize(9).fillColor('#000000').text(s.name, x, y, { width: w });
  const top = y + 14;
  const plotX = x + 22;
  const plotW = w - 30;
  const plotH = h - 34;
  doc.font('Helvetica').fontSize(7).fillColor(GREY);
  for (const v of [0, 50, 100]) {
    const gy = top + plotH - (plotH * v) / 100;
    doc.text(String(v), x, gy - 3, { width: 18, align: 'right' });
    doc
      .moveTo(plotX, gy)
      .lineTo(plotX + plotW, gy)
      .lineWidth(0.5)
      .strokeColor('#cccccc')
      .stroke();
  }
  const n = s.points.length;
  const px = (i: number) => plotX + (n === 1 ? plotW / 2 : (plotW * i) / (n - 1));
  const py = (v: number) => top + plotH - (plotH * Math.min(100, Math.max(0, v))) / 100;
  if (n > 1) {
    doc.moveTo(px(0), py(s.points[0]!.value));
    for (let i = 1; i < n; i++) doc.lineTo(px(i), py(s.points[i]!.value));
    doc.lineWidth(2).strokeColor(CHART_COLOUR).stroke();
  }
  for (let i = 0; i < n; i++) doc.circle(px(i), py(s.points[i]!.value), 2.5).fillColor(CHART_COLOUR).fill();
  doc.font('Helvetica').fontSize(7).fillColor(GREY);
  doc.text(day(s.points[0]!.time), plotX, top + plotH + 4, { width: plotW / 2 });
  if (n > 1)
    doc.text(day(s.points[n - 1]!.time), plotX + plotW / 2, top + plotH + 4, {
      width: plotW / 2,
      align: 'right',
    });
}

/**
 * Draws the report (A4): the photo and a summary, each metric with its value, class, a bar and a
 * plain-words explanation ("Not assessable" with the reason where it could not be measured), the
 * mask images, and one chart per score over the subject's images. Resolves to the PDF bytes.
 */
export function drawReport(data: ReportData): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: `Skin analysis report ${data.subjectName}`, Creator: 'Skinscope' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;

  doc.font('Helvetica-Bold').fontSize(20).fillColor('#000000').text('Skin analysis report', MARGIN, MARGIN);
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor(GREY)
    .text(`${data.subjectName} - photo of ${day(data.imageTime)} - image ${data.imageId}`);
  const photoTop = doc.y + 10;
  doc.image(data.photo, MARGIN, photoTop, { fit: [width, 300], align: 'center' });
  doc.y = photoTop + 310;

  doc.font('Helvetica-Bold').fontSize(14).fillColor('#000000').text('Results', MARGIN, doc.y);
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor(GREY)
    .text(
      'Scores run from 0 to 100; higher is better. Classes: Excellent > 90, Great > 80, Good > 70, Average > 50, Poor > 30, Bad.',
      {
        width,
      },
    );
  doc.moveDown(0.6);
  for (const m of data.metrics) metricRow(doc, m, width);

  if (data.masks.length) {
    doc.addPage();
    doc.font('Helvetica-Bold').fontSize(14).fillColor('#000000').text('Masks', MARGIN, MARGIN);
    doc.font('Helvetica').fontSize(8).fillColor(GREY).text('Where each finding is on the face.', { width });
    const cols = 3;
    const cell = (width - (cols - 1) * 10) / cols;
    let y = doc.y + 8;
    for (let start = 0; start < data.masks.length; start += cols) {
      const row = data.masks.slice(start, start + cols);
      const scaled = row.map((m) => Math.min(cell / m.width, (cell * 1.25) / m.height));
      const rowHeight = Math.max(...row.map((m, i) => m.height * scaled[i]!)) + 20;
      if (y + rowHeight > doc.page.height - MARGIN) {
        doc.addPage();
        y = MARGIN;
      }
      row.forEach((m, col) => {
        const k = scaled[col]!;
        const x = MARGIN + col * (cell + 10);
        doc.image(m.jpeg, x + (cell - m.width * k) / 2, y, { width: m.width * k, height: m.height * k });
        doc
          .font('Helvetica')
          .fontSize(8)
          .fillColor('#000000')
          .text(m.name, x, y + m.height * k + 4, { width: cell, align: 'center' });
      });
      y += rowHeight + 6;
    }
  }

  if (data.history.length) {
    doc.addPage();
    doc.font('Helvetica-Bold').fontSize(14).fillColor('#000000').text('History', MARGIN, MARGIN);
    const count = Math.max(...data.history.map((s) => s.points.length));
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(GREY)
      .text(
        `Each score over this subject's photos up to this one (${count} photo${count === 1 ? '' : 's'}).`,
        { width },
      );
    const w = (width - 20) / 2;
    const h = 110;
    let y = doc.y + 10;
    data.history.forEach((s, i) => {
      if (i % 2 === 0 && i > 0) y += h + 12;
      if (y + h > doc.page.height - MARGIN) {
        doc.addPage();
        y = MARGIN;
      }
      chart(doc, s, MARGIN + (i % 2) * (w + 20), y, w, h);
    });
  }
  doc.end();
  return done;
}
