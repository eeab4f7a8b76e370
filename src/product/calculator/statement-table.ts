// A statement as one table (`company_monthly_statement`, and the statement's CSV): one line per fact,
// sections in the order the page shows them. The `total` lines are the monthly table's row, column by
// column, so a reader can check them against it.
import { formatLocalTime } from '../shared/dates.js';
import { type Cell, type ColumnsOf, type Table, tableOf, usageTable } from './columns.js';
import type { Statement } from './statement.js';

type Line = {
  readonly section: string;
  readonly item: string;
  readonly value?: number | null;
  readonly busy?: number | null;
  readonly runs?: number | null;
  readonly detail?: string;
};

const COLUMNS: ColumnsOf<Line> = [
  [{ label: 'section', format: 'text' }, (l) => l.section],
  [{ label: 'item', format: 'text' }, (l) => l.item],
  [{ label: 'value', format: 'num' }, (l) => l.value ?? null],
  [{ label: 'busy_gpu_hour', format: 'num' }, (l) => l.busy ?? null],
  [{ label: 'n_runs', format: 'int' }, (l) => l.runs ?? null],
  [{ label: 'detail', format: 'text' }, (l) => l.detail ?? ''],
];

/** The statement's lines; run times are local times of its zone. */
export function statementTable(statement: Statement): Table {
  const formatTime = (ms: number) => formatLocalTime(ms, statement.zone).slice(0, 19);
  const lines: Line[] = [
    { section: 'statement', item: 'company', detail: statement.company },
    { section: 'statement', item: 'month', detail: statement.month },
    { section: 'statement', item: 'through', detail: statement.through },
    ...statement.schedule.map((s) => ({
      section: 'schedule',
      item: s.from,
      value: s.nodes,
      detail: 'nodes',
    })),
    ...totalLines(statement),
    ...statement.projects.map((p) => line('project', p)),
    ...statement.users.map((u) => line('user', u)),
    ...statement.duplicates.map((g) => ({
      section: 'duplicate_init',
      item: g.host,
      runs: g.runIds.length,
      detail: `${g.team} ${g.projects.join(',')}: ${g.runIds.join(', ')} (${formatTime(g.overlapStart)} – ${formatTime(g.overlapEnd)})`,
    })),
    ...statement.daysWithoutUse.map((d) => ({ section: 'day_without_use', item: d })),
  ];
  return tableOf(COLUMNS, lines);
}

function line(section: string, l: Statement['projects'][number]): Line {
  return { section, item: l.name, value: l.gpuHour, busy: l.busyGpuHour, runs: l.nRuns };
}

/** The monthly row's value columns, by their labels (none without a grid day in the month). */
function totalLines(statement: Statement): Line[] {
  if (statement.totals === undefined) return [];
  const table = usageTable('monthly', [statement.totals]);
  const row = table.rows[0] ?? [];
  return table.columns.flatMap((column, i): Line[] => {
    const cell: Cell | undefined = row[i];
    return typeof cell === 'number' ? [{ section: 'total', item: column.label, value: cell }] : [];
  });
}
