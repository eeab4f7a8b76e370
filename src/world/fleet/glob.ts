/**
 * Python fnmatch.fnmatchcase semantics (the original filters projects with fnmatch; the config
 * patterns are case-sensitive): `*` any run of characters, `?` one character, `[seq]`, `[!seq]`.
 * The generator uses it to name projects that do or do not match a company's pattern.
 */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        let body = pattern.slice(i + 1, close);
        const negate = body.startsWith('!');
        if (negate) body = body.slice(1);
        out += `[${negate ? '^' : ''}${body.replace(/\\/g, '\\\\').replace(/\^/g, '\\^')}]`;
        i = close;
      }
    } else out += c.replace(/[.+^${}()|\\/\]]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** A name matching `pattern`: wildcards filled with `filler`, character classes with a member. */
export function nameMatching(pattern: string, filler: string): string | undefined {
  const name = pattern
    .replace(/\[!([^\]]+)\]/g, (_, body: string) => (body.includes('z') ? 'y' : 'z'))
    .replace(/\[([^\]]+)\]/g, (_, body: string) => body.charAt(0))
    .replace(/\*/g, filler)
    .replace(/\?/g, 'x');
  return globToRegExp(pattern).test(name) ? name : undefined;
}
