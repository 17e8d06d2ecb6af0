import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { headingId, parseInline, parseMarkdown } from './markdown.ts';

describe('the markdown subset', () => {
  it('parses inlines into data, never markup', () => {
    expect(parseInline('a `x<y>` **b _c_** [d](#e) <img src=x>')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'code', text: 'x<y>' },
      { kind: 'text', text: ' ' },
      {
        kind: 'strong',
        children: [
          { kind: 'text', text: 'b ' },
          { kind: 'em', children: [{ kind: 'text', text: 'c' }] },
        ],
      },
      { kind: 'text', text: ' ' },
      { kind: 'link', href: '#e', children: [{ kind: 'text', text: 'd' }] },
      { kind: 'text', text: ' <img src=x>' },
    ]);
    expect(parseInline('task_bp_pinned and snake_case_names')).toEqual([
      { kind: 'text', text: 'task_bp_pinned and snake_case_names' },
    ]);
  });
  it('moves on past a line that starts like a table but is none', () => {
    expect(parseMarkdown('| not a table\nnext line\n\n|x|').map((b) => b.kind)).toEqual([
      'paragraph',
      'paragraph',
    ]);
  });
  it('parses headings, paragraphs, lists and tables', () => {
    const blocks = parseMarkdown(
      '## 2. The kernel\n\nOne\nparagraph.\n\n- first\n  continued\n- second\n\n| a | b |\n| - | - |\n| 1 | `2` |\n',
    );
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'table']);
    expect(blocks[0]).toMatchObject({ level: 2, id: 'model-2-the-kernel' });
    expect(blocks[1]).toEqual({
      kind: 'paragraph',
      inlines: [{ kind: 'text', text: 'One paragraph.' }],
    });
    expect(blocks[2]).toMatchObject({
      kind: 'list',
      items: [[{ text: 'first' }, { text: ' continued' }], [{ text: 'second' }]],
    });
    expect(blocks[3]).toMatchObject({
      kind: 'table',
      rows: [[[{ text: '1' }], [{ kind: 'code', text: '2' }]]],
    });
  });
  it('reads docs/model.md: the sections the panels link to exist', () => {
    const blocks = parseMarkdown(readFileSync('docs/model.md', 'utf8'));
    const ids = blocks.flatMap((b) => (b.kind === 'heading' ? [b.id] : []));
    for (const id of [
      'model-2-the-simulated-kernel',
      'model-3-workloads',
      'model-4-cost-parameters',
      'model-5-published-against-simulated',
    ]) {
      expect(ids).toContain(id);
    }
    expect(blocks.filter((b) => b.kind === 'table').length).toBeGreaterThanOrEqual(4);
    expect(headingId('The mixed workload (predictions only)')).toBe(
      'model-the-mixed-workload-predictions-only',
    );
  });
});
