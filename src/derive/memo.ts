/**
 * Identity memoization for derived data: the same input object gives the same output object, so
 * React props and zustand selectors stay referentially stable. Inputs are immutable snapshots.
 */
export function memoizeByObject<K extends object, A extends readonly unknown[], R>(
  compute: (key: K, ...args: A) => R,
): (key: K, ...args: A) => R {
  const cache = new WeakMap<K, { args: A; value: R }>();
  return (key, ...args) => {
    const hit = cache.get(key);
    if (hit && hit.args.length === args.length && hit.args.every((a, i) => a === args[i])) {
      return hit.value;
    }
    const value = compute(key, ...args);
    cache.set(key, { args, value });
    return value;
  };
}
