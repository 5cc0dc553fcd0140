import path from 'node:path';
import picomatch from 'picomatch';

/**
 * A predicate for pm2's `ignore_watch` globs (picomatch, dotfiles included). A pattern is tried against the
 * path relative to cwd and the absolute path; a pattern without a slash ('node_modules', '*.log') is also
 * tried against every path segment, as in .gitignore.
 */
export function ignoreMatcher(patterns: readonly string[], cwd: string): (file: string) => boolean {
  if (patterns.length === 0) return () => false;
  const options = { dot: true };
  const whole = picomatch([...patterns], options);
  const segmentPatterns = patterns.filter((pattern) => !pattern.includes('/'));
  const segment = segmentPatterns.length > 0 ? picomatch(segmentPatterns, options) : () => false;
  return (file) => {
    const absolute = path.resolve(cwd, file);
    const relative = path.relative(cwd, absolute);
    if (relative !== '' && whole(relative)) return true;
    if (whole(absolute)) return true;
    const segments = (relative === '' || relative.startsWith('..') ? absolute : relative).split(path.sep);
    return segments.some((part) => part !== '' && segment(part));
  };
}
