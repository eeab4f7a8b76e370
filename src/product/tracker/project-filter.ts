import picomatch from 'picomatch';
import type { Company } from '../config/types.js';

/**
 * The company's project globs (case-sensitive, like Python's fnmatchcase): when an include
 * pattern is set only matching projects count and the ignore pattern is not used.
 */
export function projectFilter(
  company: Pick<Company, 'include_project_pattern' | 'ignore_project_pattern'>,
): (name: string) => boolean {
  const options = { dot: true, nocase: false };
  if (company.include_project_pattern) return picomatch(company.include_project_pattern, options);
  if (company.ignore_project_pattern) {
    const ignored = picomatch(company.ignore_project_pattern, options);
    return (name) => !ignored(name);
  }
  return () => true;
}
