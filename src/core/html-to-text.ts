// The plain-text part of an email, made from its HTML. It runs once per template on HTML that
// still contains Liquid tags, so the result is itself a Liquid template: `{{ … }}` and `{% … %}`
// pass through untouched, in text and in link targets. No library: email HTML is a small,
// forgiving subset, and a small scanner keeps this pure and fast.

export type HtmlToken =
  | { kind: 'text'; text: string }
  | { kind: 'open'; name: string; attrs: Record<string, string>; selfClosing: boolean }
  | { kind: 'close'; name: string };

// Elements whose content is never text for a reader.
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'head']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** Where a Liquid tag or output that starts at `i` ends (index after its closing delimiter), or -1. */
function liquidEnd(html: string, i: number): number {
  if (html[i] !== '{') return -1;
  const next = html[i + 1];
  if (next !== '{' && next !== '%') return -1;
  const close = html.indexOf(next === '{' ? '}}' : '%}', i + 2);
  return close === -1 ? -1 : close + 2;
}

/** Index after a Liquid tag at `i`, else after the one character at `i`. */
function step(src: string, i: number): number {
  const end = liquidEnd(src, i);
  return end === -1 ? i + 1 : end;
}

const SPACE = /\s/;
const NAME_END = /[\s=/>"']/;

/**
 * Attribute values may hold Liquid with quotes of their own (`href="{{ x | default: "y" }}"`):
 * Liquid runs before any mail client parses the HTML, so a Liquid tag is stepped over whole.
 */
function readAttributes(src: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src[i];
    if (SPACE.test(c) || c === '/') {
      i++;
      continue;
    }
    // A Liquid tag between attributes ({% if %}class="x"{% endif %}) is no attribute.
    if (liquidEnd(src, i) !== -1 || NAME_END.test(c)) {
      i = step(src, i);
      continue;
    }
    const nameStart = i;
    while (i < n && !NAME_END.test(src[i])) i++;
    const name = src.slice(nameStart, i).toLowerCase();
    let j = i;
    while (j < n && SPACE.test(src[j])) j++;
    let value = '';
    if (src[j] === '=') {
      j++;
      while (j < n && SPACE.test(src[j])) j++;
      const quote = src[j];
      if (quote === '"' || quote === "'") {
        const valueStart = ++j;
        while (j < n && src[j] !== quote) j = step(src, j);
        value = src.slice(valueStart, j);
        j++;
      } else {
        const valueStart = j;
        while (j < n && !SPACE.test(src[j])) j = step(src, j);
        value = src.slice(valueStart, j);
      }
      i = j;
    }
    if (!(name in attrs)) attrs[name] = decodeEntities(value);
  }
  return attrs;
}

/** Splits HTML into text, open and close tokens; comments, doctypes and raw-text content are dropped. */
export function* scanHtml(html: string): Generator<HtmlToken> {
  let i = 0;
  const n = html.length;
  let lower: string | null = null;
  while (i < n) {
    const lt = html.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i) yield { kind: 'text', text: html.slice(i, textEnd) };
    if (lt === -1) return;
    i = lt;
    if (html.startsWith('<!--', i)) {
      // MSO conditional blocks (<!--[if mso]>…<![endif]-->) are comments too: Outlook-only markup.
      const end = html.indexOf('-->', i + 4);
      i = end === -1 ? n : end + 3;
      continue;
    }
    const c = html[i + 1] ?? '';
    if (c === '!' || c === '?') {
      const end = html.indexOf('>', i);
      i = end === -1 ? n : end + 1;
      continue;
    }
    const isClose = c === '/';
    const nameStart = isClose ? i + 2 : i + 1;
    if (!/[A-Za-z]/.test(html[nameStart] ?? '')) {
      // A lone "<" (e.g. "a < b" or "{% if a < b %}") is text.
      yield { kind: 'text', text: '<' };
      i += 1;
      continue;
    }
    // Find the tag's end, stepping over quoted values and Liquid tags that may contain ">".
    let j = nameStart;
    let quote = '';
    while (j < n) {
      const ch = html[j];
      if (quote) {
        if (ch === quote) {
          quote = '';
          j++;
        } else j = step(html, j);
      } else if (ch === '"' || ch === "'") {
        quote = ch;
        j++;
      } else if (ch === '>') {
        break;
      } else {
        j = step(html, j);
      }
    }
    const inner = html.slice(nameStart, j);
    i = j + 1;
    const nameMatch = /^[A-Za-z][^\s/>]*/.exec(inner)!;
    const name = nameMatch[0].toLowerCase();
    if (isClose) {
      yield { kind: 'close', name };
      continue;
    }
    const selfClosing = inner.endsWith('/') || VOID.has(name);
    yield { kind: 'open', name, attrs: readAttributes(inner.slice(nameMatch[0].length)), selfClosing };
    if (RAW_TEXT.has(name) && !selfClosing) {
      lower ??= html.toLowerCase();
      const close = lower.indexOf(`</${name}`, i);
      // An unclosed <head> still holds the body after it; an unclosed <style> or <script> does not.
      if (close === -1 && name === 'head') continue;
      if (close === -1) return;
      const end = html.indexOf('>', close);
      i = end === -1 ? n : end + 1;
    }
  }
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', reg: '®', trade: '™',
  hellip: '…', mdash: '—', ndash: '–', laquo: '«', raquo: '»', ldquo: '“', rdquo: '”', bdquo: '„',
  lsquo: '‘', rsquo: '’', sbquo: '‚', euro: '€', pound: '£', middot: '·', bull: '•', zwnj: '',
  auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', eacute: 'é',
  egrave: 'è', agrave: 'à', ccedil: 'ç',
};

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

// Line breaks requested by structure: 1 = new line, 2 = blank line between blocks.
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'blockquote', 'table', 'pre']);
const LINE = new Set(['div', 'tr', 'section', 'article', 'header', 'footer', 'center', 'dl', 'dt', 'dd', 'hr', 'form']);
const CELL = new Set(['td', 'th']);

function isHidden(attrs: Record<string, string>): boolean {
  return /display\s*:\s*none/i.test(attrs.style ?? '');
}

/** "https://example.com/" and "example.com" say the same; so do "mailto:a@b.c" and "a@b.c". */
function sameTarget(text: string, href: string): boolean {
  const norm = (s: string) =>
    s
      .trim()
      .toLowerCase()
      .replace(/^(https?:\/\/|mailto:|tel:)/, '')
      .replace(/\/$/, '');
  return norm(text) === norm(href);
}

class TextBuilder {
  readonly parts: (string | 1 | 2)[] = [];
  text(s: string): void {
    if (s) this.parts.push(s);
  }
  brk(strength: 1 | 2): void {
    this.parts.push(strength);
  }
  /** Joins the parts: the strongest break between two texts wins; lines are trimmed. */
  toString(): string {
    let out = '';
    let pending: 0 | 1 | 2 = 0;
    for (const p of this.parts) {
      if (typeof p === 'number') {
        if (p > pending) pending = p;
        continue;
      }
      if (pending && out) {
        out = out.replace(/[ ]+$/, '') + (pending === 2 ? '\n\n' : '\n');
        pending = 0;
        out += p.replace(/^[ ]+/, '');
      } else {
        pending = 0;
        out += out === '' || out.endsWith('\n') ? p.replace(/^[ ]+/, '') : p;
      }
    }
    return out
      .split('\n')
      .map((line) => line.replace(/ {2,}/g, ' ').trim())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }
}

export function htmlToText(html: string): string {
  const out = new TextBuilder();
  // Inside <a>: collect its text, then append " (href)" when the target differs from the text.
  let link: { href: string; parts: string[] } | null = null;
  let hidden: { name: string; depth: number } | null = null;
  const write = (s: string) => {
    if (link) link.parts.push(s);
    else out.text(s);
  };

  for (const tok of scanHtml(html)) {
    if (hidden) {
      // Skip a display:none element (the MJML preheader) with everything inside it.
      if (tok.kind === 'open' && tok.name === hidden.name && !tok.selfClosing) hidden.depth++;
      if (tok.kind === 'close' && tok.name === hidden.name && --hidden.depth === 0) hidden = null;
      continue;
    }
    if (tok.kind === 'text') {
      write(decodeEntities(tok.text.replace(/[\s]+/g, ' ')));
      continue;
    }
    const { name } = tok;
    if (tok.kind === 'open') {
      if (isHidden(tok.attrs) && !tok.selfClosing) {
        hidden = { name, depth: 1 };
        continue;
      }
      if (name === 'br') {
        if (link) link.parts.push(' ');
        else out.brk(1);
      } else if (name === 'img') {
        const alt = (tok.attrs.alt ?? '').trim();
        if (alt) write(` ${alt} `);
      } else if (name === 'a' && !tok.selfClosing) {
        link = { href: (tok.attrs.href ?? '').trim(), parts: [] };
      } else if (name === 'li') {
        out.brk(1);
        out.text('- ');
      } else if (PARAGRAPH.has(name)) {
        out.brk(2);
      } else if (LINE.has(name)) {
        out.brk(1);
      } else if (CELL.has(name)) {
        write(' ');
      }
      continue;
    }
    // close
    if (name === 'a' && link) {
      const text = link.parts.join('').replace(/\s+/g, ' ').trim();
      const { href } = link;
      link = null;
      const showHref = href !== '' && !href.startsWith('#') && !sameTarget(text, href);
      if (text && showHref) out.text(`${text} (${href})`);
      else if (text) out.text(text);
      else if (showHref) out.text(href);
    } else if (name === 'li') {
      out.brk(1);
    } else if (PARAGRAPH.has(name)) {
      out.brk(2);
    } else if (LINE.has(name)) {
      out.brk(1);
    } else if (CELL.has(name)) {
      write(' ');
    }
  }
  return out.toString();
}
