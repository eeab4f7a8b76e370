import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AppError,
  CellError,
  CheckNotRunError,
  isAppError,
  MetricsUnavailableError,
} from '../../../src/product/shared/errors.js';

const PRODUCT = join(import.meta.dirname, '..', '..', '..', 'src', 'product');

describe('the product’s errors are one family', () => {
  it('each is an AppError with its code and exit code', () => {
    const cell = new CellError('gpu_count', 'not an integer');
    expect([isAppError(cell), cell.code, cell.exitCode, cell.column]).toEqual([true, 'CELL', 2, 'gpu_count']);
    expect(new CheckNotRunError('x').exitCode).toBe(3);
    expect(new MetricsUnavailableError('x')).toBeInstanceOf(AppError);
  });

  it('only src/product/shared/errors.ts extends Error itself; every other error extends AppError', () => {
    const files = readdirSync(PRODUCT, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    const direct = files.filter((f) =>
      /class \w+ extends Error\b/.test(readFileSync(join(PRODUCT, f), 'utf8')),
    );
    expect(direct).toEqual([join('shared', 'errors.ts')]);
  });
});
