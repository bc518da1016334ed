import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '../src/core/html-to-text.ts';

describe('htmlToText', () => {
  const cases: [string, string, string][] = [
    ['paragraphs become blank-line separated', '<p>One</p><p>Two</p>', 'One\n\nTwo'],
    ['headings too', '<h1>Title</h1><p>Body</p>', 'Title\n\nBody'],
    ['<br> is a line break', '<p>a<br>b<br/>c</p>', 'a\nb\nc'],
    ['divs are lines', '<div>a</div><div>b</div>', 'a\nb'],
    ['whitespace collapses', '<p>  many \n\t spaces   here </p>', 'many spaces here'],
    ['head, style, script and title are dropped', '<html><head><title>T</title><style>p{}</style></head><body><script>x()</script><p>Hi</p></body></html>', 'Hi'],
    ['an unclosed head does not swallow the body', '<head><meta charset="utf-8"><p>Hi</p>', 'Hi'],
    ['comments and MSO blocks are dropped', '<!--[if mso]><table><tr><td>mso</td></tr></table><![endif]--><p>Hi</p><!-- note -->', 'Hi'],
    ['lists become "- item"', '<ul><li>One</li><li>Two</li></ul>', '- One\n- Two'],
    ['ordered lists too', '<p>Steps</p><ol><li>a</li><li>b</li></ol>', 'Steps\n\n- a\n- b'],
    ['links show their target', '<a href="https://x.example/p">Read</a>', 'Read (https://x.example/p)'],
    ['no target when it equals the text', '<a href="https://x.example/">x.example</a>', 'x.example'],
    ['mailto equal to the text', '<a href="mailto:a@b.example">a@b.example</a>', 'a@b.example'],
    ['a link without text shows the target', '<a href="https://x.example/p"></a>', 'https://x.example/p'],
    ['in-page anchors are not shown', '<a href="#top">Top</a>', 'Top'],
    ['images become their alt text', '<p><img src="a.png" alt="Logo"> Welcome</p>', 'Logo Welcome'],
    ['images without alt disappear', '<p><img src="pixel.gif" alt="">Hi</p>', 'Hi'],
    ['a linked image uses its alt as link text', '<a href="https://x.example/"><img src="l.png" alt="Shop"></a>', 'Shop (https://x.example/)'],
    ['entities are decoded', '<p>Fish &amp; Chips &lt;3 &quot;yes&quot; &#8364;5 &#x263A; &euro; M&uuml;ller</p>', 'Fish & Chips <3 "yes" €5 ☺ € Müller'],
    ['&nbsp; is a space', '<p>a&nbsp;b</p>', 'a b'],
    ['unknown entities stay', '<p>&bogus; &amp</p>', '&bogus; &amp'],
    ['a lone < is text', '<p>a < b</p>', 'a < b'],
    ['hidden elements (the MJML preheader) are dropped', '<div style="display:none;font-size:1px"><div>pre</div>header</div><p>Body</p>', 'Body'],
    ['table cells stay on a line, rows break', '<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>', 'a b\nc'],
    ['no wrapping of long lines', `<p>${'word '.repeat(40)}</p>`, 'word '.repeat(40).trim()],
    ['Liquid output passes through', '<p>Hi {{ contact.first_name | default: "there" }}</p>', 'Hi {{ contact.first_name | default: "there" }}'],
    ['Liquid tags pass through', '<p>{% if contact.attributes.vip %}VIP{% endif %}</p>', '{% if contact.attributes.vip %}VIP{% endif %}'],
    ['Liquid in href survives, entities decoded', '<a href="https://x.example/?u={{ contact.id }}&amp;c=1">Go</a>', 'Go (https://x.example/?u={{ contact.id }}&c=1)'],
    ['unsubscribe link', '<a href="{{ unsubscribe_url }}">Unsubscribe</a>', 'Unsubscribe ({{ unsubscribe_url }})'],
    ['Liquid with double quotes inside a double-quoted href', '<a href="{{ contact.attributes.link | default: "https://x.example" }}">Go</a>', 'Go ({{ contact.attributes.link | default: "https://x.example" }})'],
    ['unquoted attribute values', '<a href=https://x.example/p>Go</a>', 'Go (https://x.example/p)'],
    ['a Liquid comparison inside a tag does not end it', '<td {% if a > b %}class="x"{% endif %}>cell</td>', 'cell'],
    ['empty input', '', ''],
  ];
  it.each(cases)('%s', (_name, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe('decodeEntities', () => {
  it.each([
    ['a &amp; b', 'a & b'],
    ['&#39;&#x27;&apos;', "'''"],
    ['&#0; stays', '&#0; stays'],
    ['no entities', 'no entities'],
  ])('%s', (input, output) => {
    expect(decodeEntities(input)).toBe(output);
  });
});
