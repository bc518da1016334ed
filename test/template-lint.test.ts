import { describe, expect, it } from 'vitest';
import { GMAIL_CLIP_BYTES, type LintSource, lintEmailHtml } from '../src/core/template-lint.ts';

const UNSUB = '<a href="{{ unsubscribe_url }}">Unsubscribe</a>';
const html = (inner: string): LintSource => ({ format: 'html', body: `<p>Hello there</p>${inner}` });
const codes = (compiled: string, source: LintSource) => lintEmailHtml(compiled, source).map((w) => w.code);

describe('lintEmailHtml', () => {
  // [name, compiled html, source, expected warning codes]
  const cases: [string, string, LintSource, string[]][] = [
    ['a clean template', `<p>Hello there</p>${UNSUB}`, html(UNSUB), []],
    ['no unsubscribe link at all', '<p>Hello there</p>', html(''), ['no_unsubscribe_link']],
    ['unsubscribe_url in a Liquid output', '<p>Hello there</p><a href="{{ unsubscribe_url }}">leave</a>', html(''), []],
    ['unsubscribe_url inside a filter chain', '<p>Hello there {{ unsubscribe_url | append: "?x" }}</p>', html(''), []],
    ['a link whose text says unsubscribe', '<p>Hello there</p><a href="https://x.example/u/1">Unsubscribe here</a>', html(''), []],
    ['a link whose href says unsubscribe', '<p>Hello there</p><a href="https://x.example/unsubscribe?id=1">leave</a>', html(''), []],
    ['German: abmelden', '<p>Hallo</p><a href="https://x.example/a">Vom Newsletter abmelden</a>', html(''), []],
    ['Russian: отписаться', '<p>Привет</p><a href="https://x.example/a">Отписаться</a>', html(''), []],
    ['"unsubscribe" in plain text is not a link', '<p>Hello there, to unsubscribe reply STOP</p>', html(''), ['no_unsubscribe_link']],
    ['wide image by width attribute', `<p>Hello there</p><img src="hero.jpg" width="800" alt="Hero">${UNSUB}`, html(''), ['image_too_wide']],
    ['width attribute in px', `<p>Hello there</p><img src="hero.jpg" width="700px" alt="Hero">${UNSUB}`, html(''), ['image_too_wide']],
    ['640 px is fine', `<p>Hello there</p><img src="hero.jpg" width="640" alt="Hero">${UNSUB}`, html(''), []],
    ['wide image by inline style', `<p>Hello there</p><img src="hero.jpg" style="display:block; width: 900px" alt="Hero">${UNSUB}`, html(''), ['image_too_wide']],
    ['max-width is not width', `<p>Hello there</p><img src="hero.jpg" style="max-width:900px;width:100%" alt="Hero">${UNSUB}`, html(''), []],
    ['percent widths are not pixels', `<p>Hello there</p><img src="hero.jpg" width="100%" alt="Hero">${UNSUB}`, html(''), []],
    [
      'wide mj-image in the MJML source (MJML caps it in the output)',
      `<p>Hello there</p><img src="hero.jpg" width="550" alt="Hero">${UNSUB}`,
      { format: 'mjml', body: `<mjml><mj-body><mj-section><mj-column><mj-image src="hero.jpg" width="700px" alt="Hero" /><mj-text>${UNSUB}</mj-text></mj-column></mj-section></mj-body></mjml>` },
      ['image_too_wide'],
    ],
    [
      'one warning per image even when source and output both show it',
      `<p>Hello there</p><img src="hero.jpg" width="750" alt="Hero">${UNSUB}`,
      { format: 'mjml', body: '<mj-image src="hero.jpg" width="750px" alt="Hero" />' },
      ['image_too_wide'],
    ],
    ['missing alt', `<p>Hello there</p><img src="logo.png">${UNSUB}`, html(''), ['missing_alt']],
    ['empty alt is a decorative image', `<p>Hello there</p><img src="pixel.gif" alt="">${UNSUB}`, html(''), []],
    [
      'mj-image without alt (MJML writes alt="")',
      `<p>Hello there</p><img src="logo.png" alt="">${UNSUB}`,
      { format: 'mjml', body: `<mj-image src="logo.png" /><mj-text>${UNSUB}</mj-text>` },
      ['missing_alt'],
    ],
    ['only an image and variables', `<img src="flyer.png" alt="">{{ contact.first_name }}${UNSUB.replace('Unsubscribe', '')}`, html(''), ['no_plain_text_content']],
  ];
  it.each(cases)('%s', (_name, compiled, source, expected) => {
    expect(codes(compiled, source)).toEqual(expected);
  });

  it('names the image src in image_too_wide and missing_alt', () => {
    const warnings = lintEmailHtml(`<p>x</p><img src="https://cdn.example/hero.jpg" width="1200">${UNSUB}`, html(''));
    expect(warnings.find((w) => w.code === 'image_too_wide')?.message).toContain('https://cdn.example/hero.jpg is 1200 px');
    expect(warnings.find((w) => w.code === 'missing_alt')?.message).toContain('https://cdn.example/hero.jpg');
  });

  it('warns above 102 KB and says the size', () => {
    const filler = `<p>${'x'.repeat(GMAIL_CLIP_BYTES)}</p>${UNSUB}`;
    const warning = lintEmailHtml(filler, html('')).find((w) => w.code === 'html_too_large');
    expect(warning?.message).toMatch(/is 102\.\d KB; Gmail clips messages over 102 KB/);
    expect(codes(`<p>${'x'.repeat(GMAIL_CLIP_BYTES - 200)}</p>${UNSUB}`, html(''))).toEqual([]);
  });

  it('counts bytes, not characters (Cyrillic takes two bytes each)', () => {
    const cyrillic = `<p>${'я'.repeat(60 * 1024)}</p>${UNSUB}`;
    expect(cyrillic.length).toBeLessThan(GMAIL_CLIP_BYTES);
    expect(codes(cyrillic, html(''))).toEqual(['html_too_large']);
  });

  it('gives every warning a message and a hint', () => {
    const all = lintEmailHtml(`<img src="a.png" width="900">${'x'.repeat(GMAIL_CLIP_BYTES)}`, html(''));
    expect(all.map((w) => w.code).sort()).toEqual(['html_too_large', 'image_too_wide', 'missing_alt', 'no_unsubscribe_link']);
    for (const w of all) {
      expect(w.message.length).toBeGreaterThan(10);
      expect(w.hint.length).toBeGreaterThan(10);
    }
  });
});
