/**
 * Rounds half up on the number's decimal form, as a person rounding by hand would:
 * 0.05 → 0.1, 1.005 → 1.01 (plain Math.round(x * 100) / 100 gives 1 because 1.005 is stored as 1.00499…).
 */
export function roundHalfUp(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return value;
  const shifted = Math.round(Number(`${value}e${decimals}`));
  const result = Number(`${shifted}e-${decimals}`);
  // Very small or large values print in exponent form, where the string trick does not apply.
  return Number.isNaN(result) ? Math.round(value * 10 ** decimals) / 10 ** decimals : result;
}
