/**
 * Builds the binary ingestion fixtures without office software: a real .docx (a ZIP of the minimal
 * WordprocessingML parts, deflated with node:zlib) and a minimal valid PDF with text objects and a
 * correct xref table. `node build/test/knowledge/ingestion/fixtureFiles.js` rewrites test/fixtures/ingestion/
 * sample.docx and sample.pdf; tests also use the builders for changed versions of the files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';

/** One Word paragraph: a heading (Word's built-in Heading 1/2 styles) or body text. */
export interface DocxParagraph {
  style?: 'Heading1' | 'Heading2';
  text: string;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A ZIP archive (deflated entries, no timestamps) of the given files. */
export function buildZip(files: { name: string; content: string | Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const data = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, 'utf8');
    const compressed = deflateRawSync(data);
    const name = Buffer.from(file.name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 10); // time and date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A minimal .docx with the given paragraphs, readable by Word and mammoth. */
export function buildDocx(paragraphs: DocxParagraph[]): Buffer {
  const body = paragraphs
    .map((paragraph) => {
      const style = paragraph.style ? `<w:pPr><w:pStyle w:val="${paragraph.style}"/></w:pPr>` : '';
      return `<w:p>${style}<w:r><w:t xml:space="preserve">${escapeXml(paragraph.text)}</w:t></w:r></w:p>`;
    })
    .join('');
  const headingStyle = (id: string, name: string): string =>
    `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/></w:style>`;
  return buildZip([
    {
      name: '[Content_Types].xml',
      content:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>' +
        '</Types>',
    },
    {
      name: '_rels/.rels',
      content:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
        '</Relationships>',
    },
    {
      name: 'word/_rels/document.xml.rels',
      content:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
        '</Relationships>',
    },
    {
      name: 'word/styles.xml',
      content:
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="${W_NS}">` +
        headingStyle('Heading1', 'heading 1') +
        headingStyle('Heading2', 'heading 2') +
        '</w:styles>',
    },
    {
      name: 'word/document.xml',
      content:
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
        `<w:document xmlns:w="${W_NS}" xmlns:r="${R_NS}"><w:body>${body}</w:body></w:document>`,
    },
  ]);
}

function escapePdfString(text: string): string {
  return text.replace(/[\\()]/g, (character) => `\\${character}`);
}

/**
 * A minimal one-page PDF (Helvetica, WinAnsi text) with one text line per entry; '' leaves a
 * paragraph gap. The xref offsets are computed, so the file is valid.
 */
export function buildPdf(lines: string[]): Buffer {
  const operations = ['BT', '/F1 12 Tf', '14 TL', '72 740 Td'];
  for (const line of lines) {
    operations.push(line === '' ? 'T*' : `(${escapePdfString(line)}) Tj T*`);
  }
  operations.push('ET');
  const stream = operations.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** The paragraphs of the sample .docx fixture. */
export const SAMPLE_DOCX: DocxParagraph[] = [
  { style: 'Heading1', text: 'Office Parking Guide' },
  { text: 'Employees park in the underground garage on level minus two.' },
  { style: 'Heading2', text: 'Visitor parking' },
  { text: 'Visitors receive a yellow parking permit at the reception desk.' },
  { style: 'Heading2', text: 'Electric vehicles' },
  { text: 'Charging stations for electric cars are next to the elevator lobby.' },
];

/** The lines of the sample .pdf fixture. */
export const SAMPLE_PDF: string[] = [
  'Cafeteria opening hours',
  '',
  'The cafeteria serves breakfast from seven until ten in the morning.',
  '',
  'Lunch is served between noon and two, with a vegetarian menu every day.',
];

/**
 * The lines of handbook.pdf, the PDF heading fixture: a title, numbered and ALL CAPS headings, body
 * paragraphs wrapped over several lines (one ending in a short fragment without a full stop) and a
 * page footer, as a PDF exported from a word processor reads through pdf-parse.
 */
export const HANDBOOK_PDF: string[] = [
  'Remote Work Handbook',
  'This handbook explains how to work safely away from the office.',
  '1 Getting started',
  'Ask your manager before you work remotely for more than two weeks in a row and',
  'keep your calendar up to date',
  'so that colleagues know where to find you.',
  '2 Equipment',
  'Laptops are issued by the IT helpdesk.',
  '2.1 Remote access',
  'Connect through the GlobalProtect VPN before you open internal sites.',
  'SECURITY RULES',
  'Never leave your laptop unlocked in a public place.',
  'Page 2 of 2',
];

/** Where the committed fixtures live (from build/test/ingestion, three levels below the repository). */
export const FIXTURE_FOLDER = path.resolve(__dirname, '../../../../test/fixtures/ingestion');

if (require.main === module) {
  fs.writeFileSync(path.join(FIXTURE_FOLDER, 'sample.docx'), buildDocx(SAMPLE_DOCX));
  fs.writeFileSync(path.join(FIXTURE_FOLDER, 'sample.pdf'), buildPdf(SAMPLE_PDF));
  fs.writeFileSync(path.join(FIXTURE_FOLDER, 'handbook.pdf'), buildPdf(HANDBOOK_PDF));
}
