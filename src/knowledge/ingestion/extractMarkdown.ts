import mammoth from 'mammoth';
import { PDFParse } from 'pdf-parse';
import type { DocumentFormat } from './documentFormats';
import { htmlToMarkdown } from './htmlToMarkdown';
import { markPdfHeadings } from './pdfHeadings';

/**
 * Turns a document's bytes into markdown the knowledge base splits on headings: markdown as it
 * is; HTML and Word (via mammoth's HTML, which keeps Heading 1-6 styles) with '#' headings; PDF with
 * the headings `markPdfHeadings` recognises; plain text as paragraphs. Lines of text and PDF body that
 * start with '#' are escaped so they are not read as headings.
 * @throws whatever the parser throws for a broken file (the caller reports it).
 */
export async function extractMarkdown(format: DocumentFormat, bytes: Buffer): Promise<string> {
  switch (format) {
    case 'markdown':
      return bytes.toString('utf8');
    case 'text':
      return escapeHeadings(bytes.toString('utf8'));
    case 'html':
      return htmlToMarkdown(bytes.toString('utf8'));
    case 'docx': {
      const result = await mammoth.convertToHtml({ buffer: bytes });
      return htmlToMarkdown(result.value);
    }
    case 'pdf':
      return markPdfHeadings(await pdfText(bytes));
  }
}

async function pdfText(bytes: Buffer): Promise<string> {
  // pdf.js takes ownership of the array it is given; hand it a copy so the caller's buffer stays usable.
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    const result = await parser.getText({ pageJoiner: '\n' });
    return result.text.trim();
  } finally {
    await parser.destroy();
  }
}

/** Plain text has no headings: a leading '#' is escaped so the markdown splitter keeps it as text. */
function escapeHeadings(text: string): string {
  return text.replace(/^([ \t]*)#/gm, '$1\\#');
}
