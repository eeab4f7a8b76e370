/**
 * Axis ticks from 0 to a "nice" maximum at or above `max` (steps of 1, 2, 2.5 or 5 × 10^k),
 * about `count` intervals; [0, 1] when max is not positive.
 */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const top = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; k * step <= top + step / 2; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** Utilisation (0–100 %) as a colour from pale to deep blue, for heatmap cells. */
export function utilizationColor(percent: number): string {
  const t = Math.min(1, Math.max(0, percent / 100));
  const stops: [number, number, number][] = [
    [239, 243, 255],
    [107, 174, 214],
    [8, 48, 107],
  ];
  const scaled = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(scaled));
  const f = scaled - i;
  const [a, b] = [stops[i]!, stops[i + 1]!];
  const hex = a.map((c, k) =>
    Math.round(c + (b[k]! - c) * f)
      .toString(16)
      .padStart(2, '0'),
  );
  return `#${hex.join('')}`;
}
