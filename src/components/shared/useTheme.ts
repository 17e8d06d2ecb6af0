import { useSyncExternalStore } from 'react';
import type { Theme } from '../../render/palette.ts';

const query = '(prefers-color-scheme: dark)';
let media: MediaQueryList | null = null;

/** One MediaQueryList for the page: matchMedia is not free, and getSnapshot runs per render. */
function darkQuery(): MediaQueryList {
  media ??= window.matchMedia(query);
  return media;
}

function subscribe(onChange: () => void): () => void {
  const media = darkQuery();
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

/** The OS colour scheme; canvases need it because CSS variables do not reach ImageData. */
export function useTheme(): Theme {
  return useSyncExternalStore(
    subscribe,
    () => (darkQuery().matches ? 'dark' : 'light'),
    () => 'light',
  );
}
