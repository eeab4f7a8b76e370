import { escapeHtml, formatNumber } from './html.js';
import type { CompanyView, DashboardView, UsagePoint } from './model.js';
import { outlookSentence } from './outlook-lead.js';
import { renderDailyChart, renderWeeklyChart } from './render-charts.js';
import { renderHeatmap } from './render-heatmap.js';
import { renderAlerts, renderRawTables, renderTable } from './render-tables.js';
import { PAGE_STYLE } from './style.js';

/** Nothing may load from elsewhere: no scripts at all, styles inline only. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/**
 * The dashboard page of one project (or of one company: a view holding only it): overview, heatmap, a
 * card per company, alerts and the raw tables. Self-contained: inline SVG and styles, no script, nothing
 * loaded from elsewhere, so it opens the same from a file, from W&B's media panel and on paper.
 */
export function renderDashboardPage(view: DashboardView, heading = 'GPU usage dashboard'): string {
  const title = `${heading} — ${view.entity}/${view.project}${view.target ? ` — ${view.target}` : ''}`;
  const body = [
    `<header><h1>${escapeHtml(heading)}</h1><p class="meta">${escapeHtml(`${view.entity}/${view.project}`)} · runs tagged <code>${escapeHtml(view.tag)}</code>${view.target ? ` · tables of <strong>${escapeHtml(view.target)}</strong>` : ''}</p>${problemList(view.problems)}</header>`,
    outlookSection(view),
    `<section id="overview"><h2>Latest day and week per company</h2>${overviewTable(view.companies)}</section>`,
    `<section id="heatmap"><h2>Utilisation by day (% of the allocated GPU hours)</h2>${renderHeatmap(view.heatmap)}<p class="legend"><span class="swatch low"></span>0 % <span class="swatch high"></span>100 % <span class="swatch none"></span>no allocation</p></section>`,
    `<section id="companies"><h2>Companies</h2><p class="legend"><span class="swatch used"></span>GPU hours used <span class="line"></span>allocated GPU hours (nodes × GPUs per node × 24 h) <span class="swatch allocated"></span>allocated in the week</p><div class="cards">${view.companies.map((c, i) => companyCard(c, cardId(i))).join('')}</div></section>`,
    `<section id="duplicate-init"><h2>Duplicate-init findings</h2>${renderAlerts(view.duplicateInit, 'No duplicate wandb.init runs were reported.')}</section>`,
    `<section id="alerts"><h2>Other alerts</h2>${renderAlerts(view.otherAlerts, 'No other alerts.')}</section>`,
    `<section id="raw"><h2>Published tables</h2>${renderRawTables(view.runs)}</section>`,
  ];
  return page(title, body.join(''));
}

/** A whole self-contained HTML document: the policy that loads nothing, the inline stylesheet. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head><body>${body}</body></html>\n`;
}

function overviewTable(companies: readonly CompanyView[]): string {
  const rows = companies.map((c) => {
    const day = c.daily.at(-1);
    const week = c.weekly.at(-1);
    return `<tr><td>${escapeHtml(c.company)}</td><td>${escapeHtml(day?.period ?? '–')}</td><td class="num">${day ? day.nodes : '–'}</td>${hoursAndRate(day)}<td>${escapeHtml(week?.period ?? '–')}</td>${hoursAndRate(week)}</tr>`;
  });
  return `<table class="overview"><thead><tr><th>company</th><th>last day</th><th class="num">nodes</th><th class="num">GPU h</th><th class="num">utilisation</th><th>week from</th><th class="num">GPU h</th><th class="num">utilisation</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function hoursAndRate(point: UsagePoint | undefined): string {
  if (!point) return '<td class="num">–</td><td class="num">–</td>';
  return `<td class="num">${formatNumber(point.gpuHours)}</td><td class="num">${formatNumber(point.utilization)} %</td>`;
}

/** The anchor of a company's card (by position: a company name need not be a valid id). */
function cardId(index: number): string {
  return `company-${index + 1}`;
}

/**
 * The page opens with the month's allocation outlook (docs/behaviour.md §13): companies at risk first,
 * each with its pace, projection and idle GPU-hours, and a link to its card.
 */
function outlookSection(view: DashboardView): string {
  const heading = '<h2>Allocation outlook</h2>';
  if (view.outlook === undefined)
    return `<section id="outlook">${heading}<p class="meta">The overall run has no allocation_outlook table.</p></section>`;
  if (view.outlook.length === 0)
    return `<section id="outlook">${heading}<p>No company has nodes this month.</p></section>`;
  const cards = new Map(view.companies.map((c, i) => [c.company, cardId(i)] as const));
  const atRisk = view.outlook.filter((o) => o.status === 'at risk');
  const summary = atRisk.length
    ? `<ul class="at-risk">${atRisk.map((o) => `<li>${companyLink(o.company, cards)} — ${escapeHtml(outlookSentence(o))}</li>`).join('')}</ul>`
    : '<p>No company is at risk of leaving its allocation unused this month.</p>';
  const rows = view.outlook.map(
    (o) =>
      `<tr class="status-${escapeHtml(o.status.replaceAll(' ', '-'))}"><td>${companyLink(o.company, cards)}</td><td>${escapeHtml(o.status)}</td><td class="num">${percent(o.pacePercent)}</td><td class="num">${percent(o.projectedUsePercent)}</td><td class="num">${formatNumber(o.usedToDate)} / ${formatNumber(o.allocatedToDate)}</td><td class="num">${formatNumber(o.allocatedRest)}</td><td class="num">${o.idleGpuHour === null ? '–' : formatNumber(o.idleGpuHour)}</td></tr>`,
  );
  const month = view.outlook[0]?.month ?? '';
  return `<section id="outlook"><h2>Allocation outlook for ${escapeHtml(month)}</h2>${summary}<table class="outlook"><thead><tr><th>company</th><th>status</th><th class="num">pace (7 days)</th><th class="num">projected use</th><th class="num">used / allocated GPU h</th><th class="num">GPU h to come</th><th class="num">idle GPU h</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function companyLink(company: string, cards: ReadonlyMap<string, string>): string {
  const id = cards.get(company);
  return id === undefined ? escapeHtml(company) : `<a href="#${id}">${escapeHtml(company)}</a>`;
}

function percent(value: number | null): string {
  return value === null ? '–' : `${formatNumber(value)} %`;
}

function companyCard(c: CompanyView, id: string): string {
  const day = c.daily.at(-1);
  const meta = [
    c.target ? `Tables_${c.target}` : 'no Tables_<T> name',
    day
      ? `${day.nodes} nodes on ${day.period}, ${formatNumber(day.utilization)} % used`
      : 'no allocated day published',
  ];
  const summary = c.summary
    ? `<h4>Runs in the week of ${escapeHtml(c.target ?? '?')} (company_summary)</h4>${renderTable(c.summary)}`
    : '';
  return `<article class="company" data-company="${escapeHtml(c.company)}"><h3 id="${id}">${escapeHtml(c.company)}</h3><p class="meta">${escapeHtml(meta.join(' · '))}</p>${problemList(c.problems)}<div class="charts"><figure>${renderDailyChart(c.daily, c.company)}<figcaption>per day, last ${c.daily.length} days</figcaption></figure><figure>${renderWeeklyChart(c.weekly, c.company)}<figcaption>per week, by its first day</figcaption></figure></div>${summary}</article>`;
}

function problemList(problems: readonly string[]): string {
  if (problems.length === 0) return '';
  return `<ul class="problems">${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>`;
}
