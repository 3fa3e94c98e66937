/** @jsxRuntime automatic @jsxImportSource preact */
// Search backends return titles and snippets as escaped HTML with the matched
// words in <mark>. Pages never insert that HTML: it is split back into text
// (entities decoded) and <mark> elements, which preact escapes again.
import type { ComponentChildren } from 'preact';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Text with its entities decoded; tags other than <mark> never occur (and would be shown as text). */
export function decodeEntities(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** `a <mark>b</mark> c` → ['a ', <mark>b</mark>, ' c']; an unbalanced tag is just text. */
export function Marked({ html }: { html: string }): ComponentChildren {
  const parts: ComponentChildren[] = [];
  let inside = false;
  let key = 0;
  for (const piece of html.split(/(<mark>|<\/mark>)/)) {
    if (piece === '<mark>') inside = true;
    else if (piece === '</mark>') inside = false;
    else if (piece) {
      const text = decodeEntities(piece);
      parts.push(inside ? <mark key={key++}>{text}</mark> : text);
    }
  }
  return <>{parts}</>;
}
