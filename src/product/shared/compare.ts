/**
 * Orders strings by Unicode code point (the tables sort companies this way). Plain `<` compares
 * UTF-16 code units, which differs only where a surrogate pair meets a unit above U+D7FF;
 * localeCompare depends on the locale. Scans to the first difference, so it costs what `<` costs
 * (the merge sorts every dataset row with it).
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    const pa = isSurrogate(ca) ? (a.codePointAt(i) ?? ca) : ca;
    const pb = isSurrogate(cb) ? (b.codePointAt(i) ?? cb) : cb;
    return pa < pb ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
}
