/** Everything reachable from `start` by following `next`, `start` included: for the small relation graphs of anomalies and models. */
export function reachable<T>(start: Iterable<T>, next: (x: T) => readonly T[] | undefined): Set<T> {
  const seen = new Set<T>();
  const todo = [...start];
  while (todo.length > 0) {
    const x = todo.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    todo.push(...(next(x) ?? []));
  }
  return seen;
}
