import { useSyncExternalStore } from 'react';
import type { Theme } from '../../render/palette.ts';

const query = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia(query);
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

/** The OS colour scheme; canvases need it because CSS variables do not reach ImageData. */
export function useTheme(): Theme {
  return useSyncExternalStore(
    subscribe,
    () => (window.matchMedia(query).matches ? 'dark' : 'light'),
    () => 'light',
  );
}
