/**
 * A panel as a picture, for its PNG and SVG exports: what the panel shows on screen, laid out as
 * on screen, under a title line (panel, design, scenario, time).
 *
 * The panel's DOM is read once into a flat list of parts in CSS pixels relative to the panel:
 * its SVG charts (cloned with their computed styles inlined, so they render standalone and in the
 * theme they were exported in), its canvases, the background colours and borders of its boxes
 * (legend swatches, bars, table rules) and its text, line by line, in its computed font and colour.
 * - SVG export: one SVG document. Chart SVGs and text stay vector; a canvas (the CPU grid, whose
 *   cells are written into ImageData) is embedded as a PNG `<image>` at its device pixels.
 * - PNG export: that SVG, without the canvases, rasterised at the device-pixel ratio, then each
 *   canvas drawn over it 1:1 at its device pixels (so the grid's cells are exact, not resampled).
 * Not kept: CSS background images (hatching textures; the colour under them is kept) and the
 * column's ghosting while a rerun runs. The export control itself, tooltips and anything hidden
 * are left out.
 */

/** A rectangle in CSS pixels, relative to the picture's top-left corner. */
interface CssBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface Font {
  readonly family: string;
  readonly sizePx: number;
  readonly weight: string;
  readonly style: string;
}

type Part =
  | { readonly kind: 'rect'; readonly box: CssBox; readonly fill: string }
  | {
      readonly kind: 'text';
      /** Left edge and vertical middle of the line, CSS px. */
      readonly x: number;
      readonly y: number;
      readonly text: string;
      readonly font: Font;
      readonly fill: string;
    }
  | { readonly kind: 'canvas'; readonly box: CssBox; readonly canvas: HTMLCanvasElement }
  | { readonly kind: 'svg'; readonly box: CssBox; readonly markup: string };

export interface PanelPicture {
  readonly widthCssPx: number;
  readonly heightCssPx: number;
  readonly background: string;
  readonly parts: readonly Part[];
}

/** Elements never drawn: the export control, hover tooltips. */
const SKIP_SELECTOR = '.panel-export, .tooltip, [hidden]';
const TITLE_LINE_PX = 18;
const TITLE_GAP_PX = 6;
/** SVG presentation properties copied from the computed style onto each element of a chart. */
const SVG_STYLE_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'shape-rendering',
] as const;

const SVG_NS = 'http://www.w3.org/2000/svg';

function isTransparent(color: string): boolean {
  return color === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(color) || color === '';
}

/** The colour behind `element`: its own background, else the nearest ancestor's, else white. */
function backgroundBehind(element: Element): string {
  for (let at: Element | null = element; at; at = at.parentElement) {
    const color = getComputedStyle(at).backgroundColor;
    if (!isTransparent(color)) return color;
  }
  return 'rgb(255, 255, 255)';
}

function fontOf(style: CSSStyleDeclaration): Font {
  return {
    family: style.fontFamily,
    sizePx: parseFloat(style.fontSize) || 14,
    weight: style.fontWeight,
    style: style.fontStyle,
  };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Lines wrapped to `widthPx` in `font`, measured as the browser would draw them. */
function wrapLines(text: string, font: Font, widthPx: number): string[] {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return [text];
  ctx.font = `${font.style} ${font.weight} ${font.sizePx}px ${font.family}`;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (line !== '' && ctx.measureText(next).width > widthPx) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines;
}

/** A chart SVG as standalone markup: computed styles inlined, classes (and their CSS) dropped. */
function inlinedSvg(svg: SVGSVGElement, box: CssBox): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [clone, ...clone.querySelectorAll('*')];
  from.forEach((element, i) => {
    const target = to[i];
    if (!target) return;
    const style = getComputedStyle(element);
    const declarations = SVG_STYLE_PROPERTIES.map((p) => `${p}:${style.getPropertyValue(p)}`);
    target.setAttribute('style', declarations.join(';'));
    target.removeAttribute('class');
  });
  for (const attribute of ['role', 'aria-label', 'aria-hidden', 'tabindex']) {
    clone.removeAttribute(attribute);
  }
  clone.setAttribute('xmlns', SVG_NS);
  // On the page a chart's end labels ("800 ms") may stick out of its box; a nested SVG clips.
  clone.setAttribute('overflow', 'visible');
  clone.setAttribute('x', String(box.x));
  clone.setAttribute('y', String(box.y));
  clone.setAttribute('width', String(box.width));
  clone.setAttribute('height', String(box.height));
  return new XMLSerializer().serializeToString(clone);
}

/**
 * A text node's lines as laid out: words measured one by one (a Range each), grouped by the line
 * they sit on, each line kept as its source text (whitespace collapsed unless `pre`).
 */
function textLines(
  node: Text,
  origin: { x: number; y: number },
): Array<{ x: number; y: number; text: string }> {
  const range = document.createRange();
  const preserve = getComputedStyle(node.parentElement as Element).whiteSpace.startsWith('pre');
  const lines: Array<{ x: number; y: number; top: number; start: number; end: number }> = [];
  for (const match of node.data.matchAll(/\S+/g)) {
    const start = match.index;
    const end = start + match[0].length;
    range.setStart(node, start);
    range.setEnd(node, end);
    const rect = range.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const last = lines[lines.length - 1];
    if (last && Math.abs(last.top - rect.top) < rect.height / 2) last.end = end;
    else {
      lines.push({
        x: rect.left - origin.x,
        y: rect.top + rect.height / 2 - origin.y,
        top: rect.top,
        start,
        end,
      });
    }
  }
  return lines.map(({ x, y, start, end }) => {
    const source = node.data.slice(start, end);
    return { x, y, text: preserve ? source : source.replace(/\s+/g, ' ') };
  });
}

function relativeBox(rect: DOMRect, origin: { x: number; y: number }): CssBox {
  return {
    x: rect.left - origin.x,
    y: rect.top - origin.y,
    width: rect.width,
    height: rect.height,
  };
}

/** Each side's border as a filled strip (tables' rules, swatches' outlines). */
function borderParts(style: CSSStyleDeclaration, box: CssBox): Part[] {
  const parts: Part[] = [];
  const side = (name: 'top' | 'right' | 'bottom' | 'left'): void => {
    const width = parseFloat(style.getPropertyValue(`border-${name}-width`)) || 0;
    const color = style.getPropertyValue(`border-${name}-color`);
    const kind = style.getPropertyValue(`border-${name}-style`);
    if (width <= 0 || kind === 'none' || kind === 'hidden' || isTransparent(color)) return;
    const strip: CssBox =
      name === 'top'
        ? { ...box, height: width }
        : name === 'bottom'
          ? { ...box, y: box.y + box.height - width, height: width }
          : name === 'left'
            ? { ...box, width }
            : { ...box, x: box.x + box.width - width, width };
    parts.push({ kind: 'rect', box: strip, fill: color });
  };
  side('top');
  side('right');
  side('bottom');
  side('left');
  return parts;
}

/** Reads the panel's DOM into a picture, the title line wrapped above it. */
export function panelPicture(panel: HTMLElement, title: string): PanelPicture {
  const panelStyle = getComputedStyle(panel);
  const panelRect = panel.getBoundingClientRect();
  const widthCssPx = Math.ceil(panelRect.width);
  const titleFont: Font = { ...fontOf(panelStyle), weight: '600', sizePx: 13 };
  const titleLines = wrapLines(title, titleFont, widthCssPx - 16);
  const titleHeight = titleLines.length * TITLE_LINE_PX + TITLE_GAP_PX;
  const origin = { x: panelRect.left, y: panelRect.top - titleHeight };
  const parts: Part[] = titleLines.map((text, i) => ({
    kind: 'text',
    x: 8,
    y: 4 + TITLE_LINE_PX * (i + 0.5),
    text,
    font: titleFont,
    fill: panelStyle.color,
  }));

  const visit = (element: Element, isPanel: boolean): void => {
    if (element.matches(SKIP_SELECTOR)) return;
    const style = getComputedStyle(element);
    if (style.display === 'none' || style.visibility === 'hidden') return;
    const rect = element.getBoundingClientRect();
    const box = relativeBox(rect, origin);
    if (element instanceof HTMLCanvasElement) {
      parts.push({ kind: 'canvas', box, canvas: element });
      return;
    }
    if (element instanceof SVGSVGElement) {
      parts.push({ kind: 'svg', box, markup: inlinedSvg(element, box) });
      return;
    }
    // Visually hidden text (a 1-px clipped box) is for screen readers, not for the picture; a
    // `display: contents` box has no size of its own but lays out its children (the race rows).
    if (style.display !== 'contents' && rect.width <= 1 && rect.height <= 1) return;
    if (!isPanel && style.display !== 'contents') {
      if (!isTransparent(style.backgroundColor)) {
        parts.push({ kind: 'rect', box, fill: style.backgroundColor });
      }
      parts.push(...borderParts(style, box));
    }
    for (const child of element.childNodes) {
      if (child instanceof Element) visit(child, false);
      else if (child instanceof Text && child.data.trim() !== '') {
        const upper = style.textTransform === 'uppercase';
        for (const line of textLines(child, origin)) {
          parts.push({
            kind: 'text',
            ...line,
            text: upper ? line.text.toUpperCase() : line.text,
            font: fontOf(style),
            fill: style.color,
          });
        }
      }
    }
  };
  visit(panel, true);
  return {
    widthCssPx,
    heightCssPx: Math.ceil(panelRect.height + titleHeight),
    background: backgroundBehind(panel),
    parts,
  };
}

function canvasImage(part: Extract<Part, { kind: 'canvas' }>): string {
  const { box } = part;
  return (
    `<image x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" ` +
    `preserveAspectRatio="none" style="image-rendering:pixelated" ` +
    `href="${part.canvas.toDataURL('image/png')}"/>`
  );
}

function partMarkup(part: Part, withCanvases: boolean): string {
  switch (part.kind) {
    case 'rect': {
      const { x, y, width, height } = part.box;
      return `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="${part.fill}"/>`;
    }
    case 'text': {
      const f = part.font;
      return (
        `<text x="${part.x}" y="${part.y}" dominant-baseline="central" xml:space="preserve" ` +
        `fill="${part.fill}" font-family="${escapeXml(f.family)}" font-size="${f.sizePx}" ` +
        `font-weight="${f.weight}" font-style="${f.style}">${escapeXml(part.text)}</text>`
      );
    }
    case 'canvas':
      return withCanvases ? canvasImage(part) : '';
    case 'svg':
      return part.markup;
    default: {
      const unreachable: never = part;
      return unreachable;
    }
  }
}

/** The picture as a standalone SVG document (canvases embedded as PNG images unless left out). */
export function pictureSvg(picture: PanelPicture, withCanvases = true): string {
  const { widthCssPx: w, heightCssPx: h } = picture;
  return [
    `<svg xmlns="${SVG_NS}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<rect width="${w}" height="${h}" fill="${picture.background}"/>`,
    ...picture.parts.map((part) => partMarkup(part, withCanvases)),
    '</svg>',
  ].join('\n');
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('the browser could not draw the panel as an image'));
    image.src = url;
  });
}

/**
 * The picture as a PNG at `dpr` device pixels per CSS pixel: the vector parts rasterised by the
 * browser, then each canvas copied 1:1 at its device pixels, its corner snapped to a whole pixel.
 */
export async function picturePng(picture: PanelPicture, dpr: number): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(picture.widthCssPx * dpr);
  canvas.height = Math.round(picture.heightCssPx * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas to draw the PNG on');
  const url = URL.createObjectURL(
    new Blob([pictureSvg(picture, false)], { type: 'image/svg+xml' }),
  );
  try {
    ctx.drawImage(await loadImage(url), 0, 0, canvas.width, canvas.height);
  } finally {
    URL.revokeObjectURL(url);
  }
  for (const part of picture.parts) {
    if (part.kind !== 'canvas') continue;
    ctx.drawImage(part.canvas, Math.round(part.box.x * dpr), Math.round(part.box.y * dpr));
  }
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be encoded'))),
      'image/png',
    );
  });
}
