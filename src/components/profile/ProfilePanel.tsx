import { memo } from 'react';
import type { DesignId } from '../../engine/types.ts';
import { formatPercent } from '../../report/format.ts';
import { profileRows } from '../../report/profile.ts';
import { publishedProfile } from '../../report/published.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { RunResult } from '../../sim/types.ts';
import type { ColumnId } from '../../worker/protocol.ts';

interface Props {
  readonly column: ColumnId;
  readonly scenario: Scenario;
  readonly design: DesignId;
  readonly result: RunResult | null;
}

/** The simulated perf report, by kernel symbol; the published one beside it for the seed. */
export const ProfilePanel = memo(function ProfilePanel({
  column,
  scenario,
  design,
  result,
}: Props) {
  const published = publishedProfile(scenario, design);
  const rows = result ? profileRows(result, published) : [];
  const scale = Math.max(1, ...rows.map((r) => Math.max(r.percent, r.publishedPercent ?? 0)));
  return (
    <section className="panel profile-panel" aria-label={`Profile, design ${column}`}>
      <h3>Profile</h3>
      <p className="caption">
        Simulated <code>perf report</code>: share of CPU time (idle excluded) by kernel symbol
        {published ? '; hatched bars are the published profile (v1 1/8 of the series).' : '.'}
      </p>
      {result === null ? (
        <p className="placeholder">The profile appears when the run finishes.</p>
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
