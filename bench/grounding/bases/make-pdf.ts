// Writes the two PDF documents of the grounding evaluation set: dental/new-patient-guide.pdf and
// software/security.pdf. Hand-built PDF 1.4 (Helvetica, Type1), one text line per Tj, several
// pages, correct xref offsets, ASCII only — no PDF writer needed.
// Run: node_modules/.bin/node bench/grounding/bases/make-pdf.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A document: headings start with '# ', paragraphs are wrapped to WIDTH characters, '' is a blank line. */
type Block = string;

const WIDTH = 88;
const LINES_PER_PAGE = 30;

function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

interface Line { text: string; heading: boolean }

function layout(blocks: Block[]): Line[][] {
  const lines: Line[] = [];
  for (const block of blocks) {
    if (block.startsWith('# ')) {
      if (lines.length) lines.push({ text: '', heading: false });
      lines.push({ text: block.slice(2), heading: true });
    } else if (block.startsWith('- ')) {
      wrap(block.slice(2)).forEach((l, i) => lines.push({ text: (i === 0 ? '- ' : '  ') + l, heading: false }));
    } else {
      lines.push(...wrap(block).map((text) => ({ text, heading: false })));
    }
  }
  const pages: Line[][] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_PAGE) pages.push(lines.slice(i, i + LINES_PER_PAGE));
  return pages;
}

export function pdf(blocks: Block[]): Uint8Array {
  for (const b of blocks) if (/[^\x20-\x7e]/.test(b)) throw new Error(`not ASCII: ${b}`);
  const escape = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const pages = layout(blocks);
  // Objects: 1 catalog, 2 pages, 3 font regular, 4 font bold, then per page: page, contents.
  const objects: string[] = [];
  objects[0] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>';
  const kids: string[] = [];
  pages.forEach((page, p) => {
    const pageObj = 5 + p * 2;
    const contentObj = pageObj + 1;
    kids.push(`${pageObj} 0 R`);
    const ops = page
      .map((l) => (l.heading ? `/F2 13 Tf (${escape(l.text)}) Tj T* /F1 11 Tf` : `(${escape(l.text)}) Tj T*`))
      .join('\n');
    const footer = `BT /F1 9 Tf 72 40 Td (Page ${p + 1} of ${pages.length}) Tj ET`;
    const content = `BT /F1 11 Tf 72 740 Td 15 TL\n${ops}\nET\n${footer}`;
    objects[pageObj - 1] =
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> ' +
      `/Contents ${contentObj} 0 R >>`;
    objects[contentObj - 1] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  });
  objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length); // ASCII only, so string length = byte offset
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

const dental: Block[] = [
  '# Riverside Dental - New patient guide',
  'Welcome to Riverside Dental. This guide tells you how to find us, when we are open and what to expect at your first visit.',
  '# Where to find us',
  'Riverside Dental, 14 Wharf Street, Leeds LS2 7EQ. We are on the corner of Wharf Street and The Calls, opposite the river, a ten-minute walk from Leeds railway station.',
  'Buses 5 and 19 stop on Kirkgate, two minutes away.',
  '# Parking',
  'We do not have a car park. The nearest is the Crown Point multi-storey car park on Crown Point Road, about four minutes on foot; it charges about 3 pounds an hour.',
  'We have one disabled parking bay at the back of the building, on Brewery Place. Please ask for it when you book, so we can keep it free for you.',
  'There is secure bicycle parking in the courtyard behind the practice.',
  '# Opening hours',
  '- Monday: 8am to 6pm',
  '- Tuesday: 8am to 6pm',
  '- Wednesday: 8am to 8pm (late evening)',
  '- Thursday: 8am to 6pm',
  '- Friday: 8am to 4.30pm',
  '- Saturday: 9am to 1pm, private patients only',
  '- Sunday and bank holidays: closed',
  'Reception answers the phone from 8am until closing time. You can also book online at any time.',
  '# Your first visit',
  'Please arrive 10 minutes early to fill in a medical history form, or fill it in online from the link in your confirmation email.',
  'Bring a list of any medicines you take, and your NHS exemption certificate if you have one.',
  'Your first appointment is a new patient consultation of about 40 minutes. The dentist checks your teeth, gums and mouth, takes any X-rays needed, and talks you through a written treatment plan with prices before anything is done.',
  '# Contact',
  'Telephone 0113 496 0200. Email hello@riversidedental.example. Saturday on-call line for private patients: 0113 496 0207.',
];

const software: Block[] = [
  '# Tallyfox Security and Data Protection Overview',
  'Version 3.2, January 2026. This document summarises how Tallyfox Ltd protects the data of its customers and their clients.',
  '# Where your data is stored',
  'All customer data is stored on Amazon Web Services in the Frankfurt region (Germany). Encrypted backups are kept in the Dublin region (Ireland). Customer data does not leave the European Economic Area.',
  'Backups are taken every 6 hours and kept for 35 days.',
  '# Encryption',
  'Data is encrypted at rest with AES-256 and in transit with TLS 1.2 or higher. Bank feed credentials are never stored by Tallyfox; bank connections use Open Banking tokens.',
  '# GDPR',
  'Tallyfox Ltd is the data processor for the personal data in your account, and you are the data controller. Our data processing agreement is part of our terms and applies automatically; a signed copy is available on request.',
  'Tallyfox Ltd is registered with the UK Information Commissioner\'s Office. Our data protection officer can be reached at privacy@tallyfox.example.',
  'You can export all of your data at any time as CSV and PDF files. When an account is closed, its data is deleted 90 days after the plan ends, and removed from backups within a further 35 days.',
  '# Signing in',
  'Two-factor authentication with an authenticator app is available on every plan, and account owners can require it for all users.',
  'Single sign-on (SAML 2.0) is available on the Business plan only. It works with Okta, Microsoft Entra ID and Google Workspace.',
  '# Certifications and testing',
  'Tallyfox has been certified to ISO 27001 since 2024. An independent security firm carries out a penetration test every year; a summary of the latest report is available to Business customers under a non-disclosure agreement.',
  '# Staff access',
  'Support staff can only see your account when you grant access from Settings, then Support access. Access expires after 7 days, and every view is recorded in the audit log.',
  '# Availability',
  'We aim for 99.9% uptime each month. Current status and past incidents are published on our status page.',
];

const here = dirname(fileURLToPath(import.meta.url));
writeFileSync(join(here, 'dental', 'new-patient-guide.pdf'), pdf(dental));
writeFileSync(join(here, 'software', 'security.pdf'), pdf(software));
console.log('wrote dental/new-patient-guide.pdf and software/security.pdf');
