/**
 * Provides every panel with the same ShownRuns (./shownRuns.ts): the runs to draw, ghosted or not,
 * and the one comparison of A with B. The memory of finished runs lives in this provider's state.
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { EMPTY_MEMORY, rememberRuns, shownRuns, type ShownRuns } from './shownRuns.ts';
import { useRuns } from './services.tsx';

const ShownRunsContext = createContext<ShownRuns | null>(null);

export function ShownRunsProvider({ children }: { readonly children?: ReactNode }) {
  const live = useRuns((s) => s.columns);
  const [memory, setMemory] = useState(EMPTY_MEMORY);
  // Derived state during render (React's documented pattern): the new memory is used at once.
  const next = rememberRuns(memory, live);
  if (next !== memory) setMemory(next);
  const value = useMemo(() => shownRuns(live, next), [live, next]);
  return <ShownRunsContext.Provider value={value}>{children}</ShownRunsContext.Provider>;
}

export function useShownRuns(): ShownRuns {
  const value = useContext(ShownRunsContext);
  if (value === null) throw new Error('no shown runs: render inside <ShownRunsProvider>');
  return value;
}
