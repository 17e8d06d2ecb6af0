/**
 * A small, safe subset of Markdown, parsed into plain data that a component renders as elements
 * (never as HTML): the page shows docs/model.md from the file itself, so the explanation in the app
 * and the one in the repository cannot drift apart.
 *
 * Blocks: ATX headings (#..####), paragraphs, `-` lists (continuation lines indented), pipe tables
 * (a header row, a `---` row, body rows). Inlines: `code`, **strong**, _em_ or *em*, [text](href).
 * Anything else is text. Headings get ids: "## 2. The simulated kernel" -> "model-2-the-simulated-kernel".
 *
 *   parseMarkdown('## A b\n\nSome `x`.') ->
 *     [{ kind: 'heading', level: 2, id: 'model-a-b', inlines: [{ kind: 'text', text: 'A b' }] },
 *      { kind: 'paragraph', inlines: [{ kind: 'text', text: 'Some ' }, { kind: 'code', text: 'x' }, ...] }]
 */

export type Inline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'strong'; readonly children: readonly Inline[] }
  | { readonly kind: 'em'; readonly children: readonly Inline[] }
  | { readonly kind: 'link'; readonly href: string; readonly children: readonly Inline[] };

export type Block =
  | {
      readonly kind: 'heading';
      readonly level: number;
      readonly id: string;
      readonly text: string;
      readonly inlines: readonly Inline[];
    }
  | { readonly kind: 'paragraph'; readonly inlines: readonly Inline[] }
  | { readonly kind: 'list'; readonly items: ReadonlyArray<readonly Inline[]> }
  | {
      readonly kind: 'table';
      readonly header: ReadonlyArray<readonly Inline[]>;
      readonly rows: ReadonlyArray<ReadonlyArray<readonly Inline[]>>;
    };

/** "2. The simulated kernel" -> "model-2-the-simulated-kernel". */
export function headingId(text: string, prefix = 'model'): string {
  const slug = text
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${prefix}-${slug}`;
}

const INLINE =
  /`([^`]+)`|\*\*(.+?)\*\*|(?<![\w*])_(.+?)_(?!\w)|(?<![\w*])\*([^*\s][^*]*?)\*(?!\w)|\[([^\]]+)\]\(([^)\s]+)\)/g;

export function parseInline(source: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const match of source.matchAll(INLINE)) {
    const at = match.index;
    if (at > last) out.push({ kind: 'text', text: source.slice(last, at) });
    const [, code, strong, em1, em2, linkText, href] = match;
    if (code !== undefined) out.push({ kind: 'code', text: code });
    else if (strong !== undefined) out.push({ kind: 'strong', children: parseInline(strong) });
    else if (em1 !== undefined || em2 !== undefined) {
      out.push({ kind: 'em', children: parseInline(em1 ?? em2 ?? '') });
    } else if (linkText !== undefined && href !== undefined) {
      out.push({ kind: 'link', href, children: parseInline(linkText) });
    }
    last = at + match[0].length;
  }
  if (last < source.length) out.push({ kind: 'text', text: source.slice(last) });
  return out;
}

const splitRow = (line: string): string[] =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());

export function parseMarkdown(source: string, idPrefix = 'model'): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      i++;
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      const text = (heading[2] ?? '').trim();
      blocks.push({
        kind: 'heading',
        level: (heading[1] ?? '#').length,
        id: headingId(text, idPrefix),
        text,
        inlines: parseInline(text),
      });
      i++;
      continue;
    }
    if (line.trimStart().startsWith('|') && /^\s*\|?[\s:|-]+\|?\s*$/.test(lines[i + 1] ?? '')) {
      const header = splitRow(line).map(parseInline);
      const rows: Inline[][][] = [];
      i += 2;
      while (i < lines.length && (lines[i] ?? '').trimStart().startsWith('|')) {
        rows.push(splitRow(lines[i] ?? '').map(parseInline));
        i++;
      }
      blocks.push({ kind: 'table', header, rows });
      continue;
    }
    if (/^[-*]\s+/.test(line)) {
      const items: Inline[][] = [];
      while (i < lines.length && /^([-*]\s+|\s{2,}\S)/.test(lines[i] ?? '')) {
        const current = lines[i] ?? '';
        if (/^[-*]\s+/.test(current)) items.push(parseInline(current.replace(/^[-*]\s+/, '')));
        else {
          const item = items[items.length - 1];
          if (item) item.push(...parseInline(` ${current.trim()}`));
        }
        i++;
      }
      blocks.push({ kind: 'list', items });
      continue;
    }
    // A paragraph takes at least this line (a lone `|` row that is no table, say), so the parse
    // always moves on.
    const paragraph: string[] = [line.trim()];
    i++;
    while (
      i < lines.length &&
      (lines[i] ?? '').trim() !== '' &&
      !/^(#{1,4}\s|[-*]\s|\s*\|)/.test(lines[i] ?? '')
    ) {
      paragraph.push((lines[i] ?? '').trim());
      i++;
    }
    blocks.push({ kind: 'paragraph', inlines: parseInline(paragraph.join(' ')) });
  }
  return blocks;
}
