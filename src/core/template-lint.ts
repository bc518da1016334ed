// Warnings about an email template that will not stop it from sending but will hurt it in the
// inbox. They run on the compiled HTML (Liquid tags still in it) and, for MJML, on the source,
// because MJML caps <mj-image> widths to the column in its output and hides what was asked for.
import { htmlToText, scanHtml } from './html-to-text.ts';

export type LintCode = 'no_unsubscribe_link' | 'image_too_wide' | 'html_too_large' | 'missing_alt' | 'no_plain_text_content';

export interface LintWarning {
  code: LintCode;
  message: string;
  hint: string;
}

export interface LintSource {
  format: 'mjml' | 'html';
  body: string;
}

/** F1.6: Outlook crops images wider than this. */
export const MAX_IMAGE_WIDTH_PX = 640;
/** Gmail clips message HTML above 102 KB ("[Message clipped]"), hiding the rest and the unsubscribe link. */
export const GMAIL_CLIP_BYTES = 102 * 1024;

const UNSUBSCRIBE_WORDS = /unsubscribe|abmelden|abbestellen|отписаться/iu;
const UNSUBSCRIBE_VARIABLE = /\{[{%][^}]*\bunsubscribe_url\b/;

/** A width in CSS pixels from "700", "700px" or "width: 700px"; percentages and other units are not pixels. */
function pixels(value: string | undefined): number | null {
  if (value === undefined) return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$/i.exec(value);
  return m ? Number(m[1]) : null;
}

function styleWidth(style: string | undefined): number | null {
  if (!style) return null;
  // "max-width" and "min-width" do not set the width; only a bare "width" declaration does.
  const m = /(?:^|;)\s*width\s*:\s*([^;]+)/i.exec(style);
  return m ? pixels(m[1].replace(/!important/i, '')) : null;
}

function utf8Bytes(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4; // a surrogate pair is one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function describeImage(src: string | undefined): string {
  return src ? `the image ${src}` : 'an image without src';
}

export function lintEmailHtml(html: string, source: LintSource): LintWarning[] {
  const warnings: LintWarning[] = [];
  let hasUnsubscribe = UNSUBSCRIBE_VARIABLE.test(html) || UNSUBSCRIBE_VARIABLE.test(source.body);
  const wideImages = new Set<string>();
  const imagesWithoutAlt = new Set<string>();
  let link: { href: string; text: string } | null = null;

  const noteMissingAlt = (src: string | undefined) => {
    if (imagesWithoutAlt.has(src ?? '')) return;
    imagesWithoutAlt.add(src ?? '');
    warnings.push({
      code: 'missing_alt',
      message: `${describeImage(src)} has no alt text`,
      hint: 'add alt="…" describing it (shown when images are blocked and used in the plain-text part), or alt="" if it is decorative',
    });
  };

  const noteWideImage = (src: string | undefined, width: number) => {
    const key = src ?? '';
    if (wideImages.has(key)) return;
    wideImages.add(key);
    warnings.push({
      code: 'image_too_wide',
      message: `${describeImage(src)} is ${width} px wide; Outlook crops images wider than ${MAX_IMAGE_WIDTH_PX} px`,
      hint: `resize it to at most ${MAX_IMAGE_WIDTH_PX} px wide or set width="${MAX_IMAGE_WIDTH_PX}" (or less)`,
    });
  };

  // MJML first: its own width is the one the author chose; the compiled <img> then matches by src.
  if (source.format === 'mjml') {
    for (const tok of scanHtml(source.body)) {
      if (tok.kind !== 'open' || tok.name !== 'mj-image') continue;
      const width = pixels(tok.attrs.width);
      if (width !== null && width > MAX_IMAGE_WIDTH_PX) noteWideImage(tok.attrs.src, width);
      // MJML writes alt="" for an <mj-image> without alt, so only the source shows it is missing.
      if (!('alt' in tok.attrs)) noteMissingAlt(tok.attrs.src);
    }
  }

  for (const tok of scanHtml(html)) {
    if (tok.kind === 'text') {
      if (link) link.text += tok.text;
      continue;
    }
    if (tok.kind === 'close') {
      if (tok.name === 'a' && link) {
        if (UNSUBSCRIBE_WORDS.test(link.href) || UNSUBSCRIBE_WORDS.test(link.text)) hasUnsubscribe = true;
        link = null;
      }
      continue;
    }
    if (tok.name === 'a') {
      link = { href: tok.attrs.href ?? '', text: '' };
    } else if (tok.name === 'img') {
      const { src } = tok.attrs;
      if (link) link.text += ` ${tok.attrs.alt ?? ''} `;
      const width = Math.max(pixels(tok.attrs.width) ?? 0, styleWidth(tok.attrs.style) ?? 0);
      if (width > MAX_IMAGE_WIDTH_PX) noteWideImage(src, width);
      // alt="" is right for decorative images and tracking pixels; only a missing alt is a problem.
      if (!('alt' in tok.attrs)) noteMissingAlt(src);
    }
  }

  if (!hasUnsubscribe) {
    warnings.push({
      code: 'no_unsubscribe_link',
      message: 'the template has no unsubscribe link',
      hint: 'add <a href="{{ unsubscribe_url }}">Unsubscribe</a>; mailbox providers demand one for bulk mail and recipients who cannot leave mark mail as spam',
    });
  }

  const bytes = utf8Bytes(html);
  if (bytes > GMAIL_CLIP_BYTES) {
    warnings.push({
      code: 'html_too_large',
      message: `the compiled HTML is ${(bytes / 1024).toFixed(1)} KB; Gmail clips messages over ${GMAIL_CLIP_BYTES / 1024} KB`,
      hint: 'shorten the content, remove unused styles or split it into several messages; a clipped message hides its end, including the unsubscribe link',
    });
  }

  // Liquid tags are not content: a template that is only images and variables reads as empty.
  const visibleText = htmlToText(html)
    .replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, '')
    .replace(/\s+/g, '');
  if (visibleText.length === 0) {
    warnings.push({
      code: 'no_plain_text_content',
      message: 'the template has no text, only images or variables',
      hint: 'add some text: image-only mail is often filtered as spam and shows nothing when images are blocked',
    });
  }
  return warnings;
}
