// Inline SVG glyphs, built as DOM nodes: no external asset and nothing a page's CSP could refuse.

const SVG = 'http://www.w3.org/2000/svg';

function glyph(paths: string[]): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'icon');
  for (const d of paths) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    svg.append(p);
  }
  return svg;
}

/** A microphone: the launcher's sign that this is a spoken conversation. */
export const micIcon = () => glyph(['M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3z', 'M19 11a7 7 0 0 1-14 0', 'M12 18v3', 'M8 21h8']);

/** The close cross. */
export const closeIcon = () => glyph(['M6 6l12 12', 'M18 6L6 18']);
