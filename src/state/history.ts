/**
 * The URL as a port: the stores read and write the query through it, so tests pass a fake and
 * only the browser implementation touches window.history.
 */
export interface HistoryPort {
  /** The current query, without `?`. */
  read(): string;
  /** Replaces the current entry (dragging a slider, typing). */
  replace(query: string): void;
  /** Adds an entry (discrete actions: presets), so Back returns to the previous scenario. */
  push(query: string): void;
}

function urlWith(query: string): string {
  const { pathname, hash } = window.location;
  return `${pathname}${query ? `?${query}` : ''}${hash}`;
}

export const browserHistory: HistoryPort = {
  read: () => window.location.search.replace(/^\?/, ''),
  replace: (query) => {
    if (window.location.search.replace(/^\?/, '') !== query) {
      window.history.replaceState(null, '', urlWith(query));
    }
  },
  push: (query) => {
    if (window.location.search.replace(/^\?/, '') !== query) {
      window.history.pushState(null, '', urlWith(query));
    }
  },
};

/** An in-memory history, for tests and for code running outside a browser. */
export function memoryHistory(initial = ''): HistoryPort & { entries: string[] } {
  const entries = [initial];
  return {
    entries,
    read: () => entries[entries.length - 1] ?? '',
    replace: (query) => {
      entries[entries.length - 1] = query;
    },
    push: (query) => {
      entries.push(query);
    },
  };
}
