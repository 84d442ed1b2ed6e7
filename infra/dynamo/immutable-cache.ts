/**
 * A bounded in-process cache for records that never change once written (published form versions, workflow
 * versions): a read that cannot go stale need not cost a request. The oldest entry leaves when it is full.
 */
export function createImmutableCache<T>(maxEntries = 500) {
  const entries = new Map<string, Promise<T>>();
  return (key: string, load: () => Promise<T>): Promise<T> => {
    const cached = entries.get(key);
    if (cached) return cached;
    const loading = load().catch((error) => {
      entries.delete(key);
      throw error;
    });
    entries.set(key, loading);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    return loading;
  };
}
