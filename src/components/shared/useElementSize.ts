import { useEffect, useState, useSyncExternalStore, type RefObject } from 'react';

/**
 * The content width of an element in CSS pixels, kept current by a ResizeObserver, so a canvas can
 * size itself to its container instead of a fixed 300 px. `fallbackCssPx` until the first measure.
 */
export function useElementWidth(ref: RefObject<HTMLElement | null>, fallbackCssPx: number): number {
  const [widthCssPx, setWidthCssPx] = useState(fallbackCssPx);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const width = entries[0]?.contentRect.width;
      // Whole pixels: sub-pixel jitter would otherwise re-layout the grid on every resize event.
      if (width !== undefined && width > 0) setWidthCssPx(Math.floor(width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return widthCssPx;
}

function subscribeDpr(onChange: () => void): () => void {
  // A resolution media query fires when the ratio changes (zoom, moving to another screen).
  const media = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

/** window.devicePixelRatio, re-read when it changes (browser zoom, another screen). */
export function useDevicePixelRatio(): number {
  return useSyncExternalStore(
    subscribeDpr,
    () => window.devicePixelRatio || 1,
    () => 1,
  );
}
