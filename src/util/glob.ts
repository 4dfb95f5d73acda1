/**
 * Compiles a small glob (`*`, `**`, `?`, `{a,b}`) into an anchored RegExp over posix relative
 * paths. A pattern without `/` matches the file name in any folder.
 * @internal
 */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',') re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(pattern.includes('/') ? `^${re}$` : `(?:^|/)${re}$`);
}
