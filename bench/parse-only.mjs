// The baseline: csv-parse alone streaming the same file, counting records.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

let records = 0;
for await (const _record of createReadStream(process.argv[2]).pipe(
  parse({ bom: true, skip_empty_lines: true }),
))
  records++;
process.stdout.write(`${records}\n`);
