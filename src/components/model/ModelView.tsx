import { Fragment, memo, useMemo, type ReactNode } from 'react';
import { parseMarkdown, type Block, type Inline } from '../../derive/markdown.ts';

/**
 * "About the model": docs/model.md itself, bundled as text (Vite's ?raw, imported by src/page.tsx,
 * the page's entry, which alone may reach outside src/) and rendered from the
 * parsed subset (derive/markdown.ts) as React elements, so no string ever reaches innerHTML. Links
 * within the page and to the web work; links to repository files show as their text.
 */
function renderInlines(inlines: readonly Inline[]): ReactNode {
  return inlines.map((inline, index) => {
    switch (inline.kind) {
      case 'text':
        return <Fragment key={index}>{inline.text}</Fragment>;
      case 'code':
        return <code key={index}>{inline.text}</code>;
      case 'strong':
        return <strong key={index}>{renderInlines(inline.children)}</strong>;
      case 'em':
        return <em key={index}>{renderInlines(inline.children)}</em>;
      case 'link':
        return /^(https?:|#)/.test(inline.href) ? (
          <a key={index} href={inline.href}>
            {renderInlines(inline.children)}
          </a>
        ) : (
          <Fragment key={index}>{renderInlines(inline.children)}</Fragment>
        );
      default: {
        const unreachable: never = inline;
        return unreachable;
      }
    }
  });
}

function renderBlock(block: Block, index: number): ReactNode {
  switch (block.kind) {
    case 'heading': {
      // The page's h2 is "About the model"; the file's # is that title, its ## are h3.
      if (block.level === 1) return null;
      const Tag = block.level === 2 ? 'h3' : 'h4';
      return (
        <Tag key={index} id={block.id}>
          {renderInlines(block.inlines)}
        </Tag>
      );
    }
    case 'paragraph':
      return <p key={index}>{renderInlines(block.inlines)}</p>;
    case 'list':
      return (
        <ul key={index}>
          {block.items.map((item, i) => (
            <li key={i}>{renderInlines(item)}</li>
          ))}
        </ul>
      );
    case 'table':
      return (
        <div key={index} className="table-scroll" tabIndex={0} role="group" aria-label="Table">
          <table className="model-table">
            <thead>
              <tr>
                {block.header.map((cell, i) => (
                  <th key={i} scope="col">
                    {renderInlines(cell)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, i) => (
                    <td key={i}>{renderInlines(cell)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    default: {
      const unreachable: never = block;
      return unreachable;
    }
  }
}

/** The model's mechanisms, what is calibrated, what is predicted and the hypotheses. */
export const ModelView = memo(function ModelView({ markdown }: { readonly markdown: string }) {
  const blocks = useMemo(() => parseMarkdown(markdown), [markdown]);
  return (
    <section id="model" className="model-view" aria-labelledby="model-title">
      <h2 id="model-title">About the model</h2>
      <p className="hint">
        This is <code>docs/model.md</code> from the repository, rendered in the page. Figures marked{' '}
        <strong>Calibrated</strong> were fitted to published numbers; everything else is the
        model&apos;s prediction; <em>[hypothesis]</em> marks mechanisms beyond the kernel sources.
        KM §n cites the kernel model (<code>kernel-model.md</code>).
      </p>
      {blocks.map(renderBlock)}
    </section>
  );
});
