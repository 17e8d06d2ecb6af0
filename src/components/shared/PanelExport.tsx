import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { exportFileName, exportTitle } from '../../report/exportName.ts';
import { formatBytes } from '../../report/format.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { ColumnId } from '../../worker/protocol.ts';
import { useShownRuns } from '../app/ShownRuns.tsx';
import { downloadBlob } from './download.ts';
import { panelPicture, picturePng, pictureSvg } from './panelPicture.ts';

/** Whose panel it is: names the files and titles the images. */
interface ExportSubject {
  /** The scenario the shown run ran (never the controls'). */
  readonly scenario: Scenario;
  /** The file name's design part: "list", or "list-vs-final" for both columns. */
  readonly design: string;
  /** The title's design part: "design A: list". */
  readonly label: string;
}

/** The column's shown run (the one its panels draw), or both columns' for the race bar. */
function useExportSubject(column: ColumnId | 'both'): ExportSubject {
  const shown = useShownRuns();
  if (column !== 'both') {
    const { scenario, design } = shown[column].run;
    return { scenario, design, label: `design ${column}: ${design}` };
  }
  const [a, b] = [shown.A.run, shown.B.run];
  return {
    scenario: a.scenario,
    design: `${a.design}-vs-${b.design}`,
    label: `A: ${a.design} vs B: ${b.design}`,
  };
}

/** A file the panel offers besides its picture: a CSV of a stream or table, a text. */
export interface ExportFile {
  /** The button's text: "CSV: frames". */
  readonly label: string;
  /** The file name's panel part: "frames". */
  readonly name: string;
  readonly extension: 'csv' | 'txt' | 'json';
  /** What the status says while a slow file is built. */
  readonly building?: string;
  /** Built on click (a run's acquisitions can be 100k rows); null: nothing to export yet. */
  readonly build: () => string | Blob | Promise<string | Blob> | null;
}

const MIME: Record<ExportFile['extension'], string> = {
  csv: 'text/csv;charset=utf-8',
  txt: 'text/plain;charset=utf-8',
  json: 'application/json',
};

interface Props {
  /** The file name's panel part for the images: "cpus". */
  readonly panel: string;
  /** The panel's name in the title line and the control's label: "CPUs". */
  readonly title: string;
  /** The title line's time: "at 1.20 ms of 2.40 ms". */
  readonly when: string;
  /** PNG and SVG of the panel (false for a panel with nothing to draw yet). */
  readonly images: boolean;
  readonly files: readonly ExportFile[];
  /** Whose run: a column's, or both (the race bar). */
  readonly column: ColumnId | 'both';
}

/** One download: its button, and once saved, the file's size beside it. */
function ExportItem({
  label,
  size,
  disabled,
  onClick,
}: {
  readonly label: string;
  readonly size: string | undefined;
  readonly disabled: boolean;
  readonly onClick: () => Promise<void>;
}) {
  return (
    <div className="export-item">
      <button type="button" disabled={disabled} onClick={() => void onClick()}>
        {label}
      </button>
      {size !== undefined && <span className="export-size">{size}</span>}
    </div>
  );
}

/**
 * A panel's export control: a small "Export" button that discloses a list of downloads (PNG and
 * SVG of the panel, CSVs of its data). It says what it saved, with the size. The picture is the
 * nearest enclosing section or figure (see panelPicture.ts).
 */
export function PanelExport({ panel, title, when, images, files, column }: Props) {
  const who = useExportSubject(column);
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  /** Each saved file's size, shown beside its button. */
  const [sizes, setSizes] = useState<Readonly<Record<string, string>>>({});
  const rootRef = useRef<HTMLDivElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent): void => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const save = async (
    name: string,
    extension: string,
    make: () => Promise<Blob | null>,
    building = '',
  ) => {
    setBusy(true);
    setStatus(building);
    try {
      const blob = await make();
      if (blob === null) {
        setStatus('Nothing to export yet: the run has not finished.');
        return;
      }
      const fileName = exportFileName(who.design, name, who.scenario, extension);
      downloadBlob(blob, fileName);
      setStatus(`Saved ${fileName} (${formatBytes(blob.size)})`);
      setSizes((before) => ({ ...before, [`${name}.${extension}`]: formatBytes(blob.size) }));
    } catch (error) {
      setStatus(`Export failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(false);
    }
  };

  const picture = () => {
    const element = rootRef.current?.closest<HTMLElement>('section, figure');
    if (!element) throw new Error('no panel to draw');
    return panelPicture(
      element,
      exportTitle({ panel: title, design: who.label, scenario: who.scenario, when }),
    );
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && open) {
      event.stopPropagation();
      setOpen(false);
      toggleRef.current?.focus();
    }
  };

  return (
    <div className="panel-export" ref={rootRef} onKeyDown={onKeyDown}>
      <button
        ref={toggleRef}
        type="button"
        className="export-toggle"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen(!open)}
      >
        Export <span aria-hidden="true">▾</span>
      </button>
      <div className="export-menu" id={menuId} hidden={!open}>
        {images && (
          <>
            <ExportItem
              label="PNG image"
              size={sizes[`${panel}.png`]}
              disabled={busy}
              onClick={() =>
                save(panel, 'png', () => picturePng(picture(), window.devicePixelRatio || 1))
              }
            />
            <ExportItem
              label="SVG image"
              size={sizes[`${panel}.svg`]}
              disabled={busy}
              onClick={() =>
                save(panel, 'svg', () =>
                  Promise.resolve(new Blob([pictureSvg(picture())], { type: 'image/svg+xml' })),
                )
              }
            />
          </>
        )}
        {files.map((file) => (
          <ExportItem
            key={file.name}
            label={file.label}
            size={sizes[`${file.name}.${file.extension}`]}
            disabled={busy}
            onClick={() =>
              save(
                file.name,
                file.extension,
                async () => {
                  const content = await file.build();
                  if (content === null) return null;
                  return content instanceof Blob
                    ? content
                    : new Blob([content], { type: MIME[file.extension] });
                },
                file.building,
              )
            }
          />
        ))}
        <p className="export-status" role="status">
          {status}
        </p>
      </div>
    </div>
  );
}
