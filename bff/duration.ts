/** A duration as people say it ("10 minutes", "an hour", "7 days"), for messages built from a rule's constant. */
export function durationText(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return n === 1 ? `${name === 'hour' ? 'an' : 'a'} ${name}` : `${n} ${name}s`;
    }
  }
  return `${Math.round(ms / 1000)} seconds`;
}
