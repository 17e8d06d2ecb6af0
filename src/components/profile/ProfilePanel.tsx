import { memo } from 'react';
import type { DesignSpec } from '../../engine/spec.ts';
import { formatPercent } from '../../report/format.ts';
import { profileRows } from '../../report/profile.ts';
import { publishedProfile } from '../../report/published.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { RunResult } from '../../sim/types.ts';
import type { RunStatus } from '../../state/runStore.ts';
import type { ColumnId } from '../../worker/protocol.ts';
import { profileFiles } from '../shared/exportFiles.ts';
import { PanelExport } from '../shared/PanelExport.tsx';

interface Props {
  readonly column: ColumnId;
  readonly scenario: Scenario;
  readonly design: DesignSpec;
  readonly result: RunResult | null;
  readonly status: RunStatus;
  /** What this column's profile shows (derive/narrative.ts). */
  readonly caption: string;
}

/** The simulated perf report, by kernel symbol; the published one beside it for the seed. */
export const ProfilePanel = memo(function ProfilePanel({
  column,
  scenario,
  design,
  result,
  status,
  caption,
}: Props) {
  const published = publishedProfile(scenario, design);
  const rows = result ? profileRows(result, published) : [];
  const scale = Math.max(1, ...rows.map((r) => Math.max(r.percent, r.publishedPercent ?? 0)));
  return (
    <section className="panel profile-panel" aria-label={`Profile, design ${column}`}>
      <div className="panel-head">
        <h3>Profile</h3>
        <a className="model-link" href="#model-5-published-against-simulated">
          the model: published against simulated
        </a>
        <PanelExport
          column={column}
          panel="profile"
          title="Profile"
          when="whole run"
          images={result !== null}
          files={profileFiles(result, published)}
        />
      </div>
      <p className="caption">
        {caption}
        {published ? ' Hatched bars are the published profile (v1 1/8 of the series).' : ''}
      </p>
      {result === null ? (
        <p className="placeholder">
          {status === 'cancelled'
            ? 'Cancelled: no profile.'
            : status === 'refused' || status === 'failed'
              ? 'No profile.'
              : 'The profile appears when the run finishes.'}
        </p>
      ) : (
        <table className="profile-table">
          <thead>
            <tr>
              <th scope="col">symbol</th>
              <th scope="col">simulated</th>
              {published && <th scope="col">published</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.symbol}>
                <th scope="row">
                  <code>{row.symbol}</code>
                </th>
                <td>
                  <span className="bar" style={{ width: `${(row.percent / scale) * 100}%` }} />
                  <span className="value">{formatPercent(row.percent)}</span>
                </td>
                {published && (
                  <td>
                    {row.publishedPercent !== null && (
                      <>
                        <span
                          className="bar bar-published"
                          style={{ width: `${(row.publishedPercent / scale) * 100}%` }}
                        />
                        <span className="value">{formatPercent(row.publishedPercent)}</span>
                      </>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
});
