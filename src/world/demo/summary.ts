import {
  DUPLICATE_INIT_TITLE,
  formatNumber,
  isLowUtilizationTitle,
  type JobReport,
  type UsageRow,
} from '../../product/index.js';

/** One company's line of the demo summary: its nodes and usage on T and in T's week. */
export type CompanyUsage = {
  readonly company: string;
  /** Nodes on T; 0 when the company has no allocation that day. */
  readonly nodes: number;
  readonly day: { readonly gpuHours: number; readonly utilization: number } | undefined;
  readonly week: { readonly gpuHours: number; readonly utilization: number } | undefined;
};

/** Usage of each company on `target` and in the week starting `week` (the daily and weekly table rows). */
export function companyUsage(
  companies: readonly string[],
  usage: { readonly daily: readonly UsageRow[]; readonly weekly: readonly UsageRow[] },
  target: string,
  week: string,
): CompanyUsage[] {
  return companies.map((company) => {
    const day = usage.daily.find((r) => r.company === company && r.period === target);
    const inWeek = usage.weekly.find((r) => r.company === company && r.period === week);
    return {
      company,
      nodes: day?.assignedGpuNode ?? 0,
      day: day && { gpuHours: day.totalGpuHour, utilization: day.utilization },
      week: inWeek && { gpuHours: inWeek.totalGpuHour, utilization: inWeek.utilization },
    };
  });
}

/** The summary table as aligned text lines; `–` where a company has no allocated day. */
export function formatUsageTable(rows: readonly CompanyUsage[], target: string, week: string): string[] {
  const width = Math.max(7, ...rows.map((r) => r.company.length));
  const num = (value: number | undefined, suffix = '') =>
    value === undefined ? '–' : `${formatNumber(value)}${suffix}`;
  const line = (cells: readonly string[]) =>
    [cells[0]!.padEnd(width), ...cells.slice(1).map((c, i) => c.padStart(i === 0 ? 5 : 12))].join('  ');
  return [
    `${''.padEnd(width + 7)}${`on ${target}`.padStart(28)}${`week from ${week}`.padStart(28)}`,
    line(['company', 'nodes', 'GPU hours', 'utilisation', 'GPU hours', 'utilisation']),
    ...rows.map((r) =>
      line([
        r.company,
        String(r.nodes),
        num(r.day?.gpuHours),
        num(r.day?.utilization, ' %'),
        num(r.week?.gpuHours),
        num(r.week?.utilization, ' %'),
      ]),
    ),
  ];
}

/** One progress line per nightly job. */
export function formatJobLine(report: JobReport, elapsedMs: number): string {
  const titles = report.alerts.titles;
  const low = titles.filter(isLowUtilizationTitle).length;
  const duplicate = titles.filter((t) => t === DUPLICATE_INIT_TITLE).length;
  const other = titles.length - low - duplicate;
  const alerts = [
    low > 0 ? `${low} low utilisation` : '',
    duplicate > 0 ? 'duplicate-init' : '',
    other > 0 ? `${other} other` : '',
  ].filter(Boolean);
  return `${report.target_date}  ${report.tracker.runs_counted} runs counted, ${report.tracker.rows} rows → dataset v${report.dataset.version ?? '?'} (${report.dataset.rows} rows), ${report.published.length} Tables runs, alerts: ${alerts.join(', ') || 'none'}  (${(elapsedMs / 1000).toFixed(1)} s)`;
}
