import { useScenarioShallow, useServices } from '../app/services.tsx';

/** The URL's corrections and the newer-version note; dismissible. Text only, never markup. */
export function Notices() {
  const { scenarioStore } = useServices();
  const { corrections, newerVersion } = useScenarioShallow((s) => ({
    corrections: s.corrections,
    newerVersion: s.newerVersion,
  }));
  if (corrections.length === 0 && !newerVersion) return null;
  return (
    <section className="notice" role="status" aria-label="Link notice">
      {newerVersion && (
        <p>
          This link comes from a newer version of slotscope; the fields this version knows were
          used.
        </p>
      )}
      {corrections.length > 0 && (
        <>
          <p>The link had values this page could not use, so it corrected them:</p>
          <ul>
            {corrections.map((line, index) => (
              <li key={index}>
                <code>{line}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      <button type="button" onClick={() => scenarioStore.getState().dismissNotices()}>
        Dismiss
      </button>
    </section>
  );
}
