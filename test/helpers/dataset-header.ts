// Header lines for the dataset files tests write as input, built from the product's column list
// (docs/behaviour.md §4). Tests that check a header the product writes keep it as a literal.
import { CPU_COUNT_COLUMN, ORIGINAL_COLUMNS, USERNAME_COLUMN } from '../../src/product/shared/run-day.js';

/** The Python original's 16 columns. */
export const ORIGINAL_HEADER = ORIGINAL_COLUMNS.join(',');
/** Ours before the username column: the original's, then cpu_count. */
export const CPU_COUNT_HEADER = [...ORIGINAL_COLUMNS, CPU_COUNT_COLUMN].join(',');
/** Ours now: the original's, cpu_count, username. */
export const DATASET_HEADER = [...ORIGINAL_COLUMNS, CPU_COUNT_COLUMN, USERNAME_COLUMN].join(',');
