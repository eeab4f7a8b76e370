import { describe, expect, it } from 'vitest';
import { DUPLICATE_INIT_TITLE } from '../../../src/product/alert/duplicate-init.js';
import { buildDashboardView } from '../../../src/product/report/model.js';
import { renderPages } from '../../../src/product/report/pages.js';
import { PAGE_CSP, renderDashboardPage } from '../../../src/product/report/render-page.js';
import { published, summaryData, usage, usageData } from '../../helpers/report.js';

const page = renderDashboardPage(
  buildDashboardView({
    entity: 'dash',
    project: 'board',
    tag: 'latest',
    runs: [
      published('alpha', '2025-01-03', {
        company_daily_gpu_usage: usageData('daily', [usage('alpha', '2025-01-03', 96, 192)]),
        company_weekly_gpu_usage: usageData('weekly', [usage('alpha', '2024-12-29', 1536.5, 1536)]),
      }),
      published('overall', '2025-01-03', {
        daily_gpu_usage: usageData('daily', [usage('alpha', '2025-01-03', 96, 192)]),
        weekly_gpu_usage: usageData('weekly', [usage('alpha', '2024-12-29', 1536.5, 1536)]),
      }),
    ],
    alerts: [
      {
        title: DUPLICATE_INIT_TITLE,
        text: 'alpha-team llm host <node-1>: 2 runs (r3, r4)',
        severity: 'WARN',
        target: '2025-01-03',
        time: '2025-01-04T06:00:00Z',
      },
    ],
  }),
);

describe('renderDashboardPage', () => {
  it('is a self-contained page: a CSP that forbids loading anything, no script, no outside URL', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">`);
    expect(PAGE_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(page).not.toContain('<script');
    // The only URL is the SVG namespace, which is a name, not a request.
    const urls = page.match(/https?:\/\/[^"'\s)<]+/g) ?? [];
    expect(urls.filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
  });

  it('shows the project, the tag and T', () => {
    expect(page).toContain('<title>GPU usage dashboard — dash/board — 2025-01-03</title>');
    expect(page).toContain('runs tagged <code>latest</code> · tables of <strong>2025-01-03</strong>');
  });

  it('lists each company in the overview with its last day and week', () => {
    expect(page).toContain(
      '<tr><td>alpha</td><td>2025-01-03</td><td class="num">1</td><td class="num">96.0</td><td class="num">50.0 %</td><td>2024-12-29</td><td class="num">1,536.5</td><td class="num">100.0 %</td></tr>',
    );
  });

  it('gives each company a card with a daily and a weekly chart, and the heatmap a row', () => {
    const card = page.slice(page.indexOf('<article class="company" data-company="alpha">'));
    expect(card).toContain('<svg class="chart daily"');
    expect(card).toContain('<svg class="chart weekly"');
    expect(page).toContain('<g class="heat-row" data-company="alpha">');
  });

  it('notes a missing summary table on the card', () => {
    expect(page).toContain('<li>company_summary was not published</li>');
  });

  it('shows duplicate-init findings escaped, with the date of their tables', () => {
    expect(page).toContain(
      '<span class="when">2025-01-03</span> <strong>Duplicate wandb.init runs found.</strong> <span class="severity">WARN</span><pre>alpha-team llm host &lt;node-1&gt;: 2 runs (r3, r4)</pre>',
    );
    expect(page).toContain('<section id="alerts"><h2>Other alerts</h2><p>No other alerts.</p></section>');
  });

  it('folds every published table under its run, overall first', () => {
    const raw = page.slice(page.indexOf('<section id="raw">'));
    expect(raw.indexOf('<summary>overall')).toBeLessThan(raw.indexOf('<summary>alpha'));
    expect(raw).toContain('<summary>daily_gpu_usage <span class="meta">1 rows × 17 columns</span></summary>');
    expect(raw).toContain('<th>企業名</th>');
  });

  it('shows W&B names that hold HTML as text: company, team, project and host', () => {
    const script = '<script>alert(1)</script>';
    const company = `acme${script}`;
    const hostile = renderDashboardPage(
      buildDashboardView({
        entity: 'dash',
        project: 'board',
        tag: 'latest',
        runs: [
          published(company, '2025-01-03', {
            company_daily_gpu_usage: usageData('daily', [usage(company, '2025-01-03', 96, 192)]),
            company_weekly_gpu_usage: usageData('weekly', [usage(company, '2024-12-29', 96, 192)]),
            company_summary: summaryData([
              {
                team: `team"><img src=x onerror=alert(1)>`,
                company,
                project: `llm${script}`,
                totalHours: 96,
                totalRuns: 1,
                masterNodeRuns: 1,
                overlapRuns: 0,
                ignoreRuns: 0,
              },
            ]),
          }),
        ],
        alerts: [
          {
            title: DUPLICATE_INIT_TITLE,
            text: `${company} llm host node${script}: 2 runs (r3, r4)`,
            severity: 'WARN',
            target: '2025-01-03',
            time: '2025-01-04T06:00:00Z',
          },
        ],
      }),
    );
    expect(hostile).not.toContain('<script');
    expect(hostile).not.toContain('<img');
    expect(hostile).toContain('acme&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile).toContain('llm&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile).toContain('team&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(hostile).toContain('host node&lt;script&gt;alert(1)&lt;/script&gt;: 2 runs');
  });
});

describe('renderDashboardPage: the allocation outlook leads (docs/behaviour.md §13)', () => {
  const outlook = {
    columns: [
      'company',
      'month',
      'allocated_gpu_hour_to_date',
      'used_gpu_hour_to_date',
      'allocated_gpu_hour_rest',
      'pace_percent',
      'projected_used_gpu_hour',
      'projected_use_percent',
      'status',
    ],
    // As the calculator sorts it: projected use ascending, empty last.
    rows: [
      ['beta & <co>', '2025-01', 576, 48, 5376, 8.3, 496.2, 8.3, 'at risk'],
      ['alpha', '2025-01', 576, 500, 5376, 86.8, 5166.2, 86.8, 'on track'],
      ['gamma', '2025-01', 0, 0, 3072, null, null, null, 'not started'],
    ],
  };
  const monthly = usageData('monthly', [
    usage('beta & <co>', '2025-01', 48, 576),
    usage('alpha', '2025-01', 500, 576),
  ]);
  const view = buildDashboardView({
    entity: 'dash',
    project: 'board',
    tag: 'latest',
    runs: [
      published('overall', '2025-01-03', { allocation_outlook: outlook, monthly_gpu_usage: monthly }),
      published('alpha', '2025-01-03', {}),
      published('beta & <co>', '2025-01-03', {}),
    ],
    alerts: [],
  });
  const html = renderDashboardPage(view);

  it('comes first, before the overview, naming each company at risk with its pace and idle GPU-hours', () => {
    const sections = [...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(sections[0]).toBe('outlook');
    expect(sections.indexOf('outlook')).toBeLessThan(sections.indexOf('overview'));
    // beta is at risk: 48 of 576 GPU h used, idle 576 − 48 = 528 this month; its name links its card.
    expect(html).toContain(
      `<ul class="at-risk"><li><a href="#company-2">beta &amp; &lt;co&gt;</a> — at risk: projected 8.3 % of 2025-01&#39;s allocation, pace 8.3 % over the last 7 days; 528.0 idle GPU h so far</li></ul>`,
    );
    expect(html).toContain('<h3 id="company-2">beta &amp; &lt;co&gt;</h3>');
  });

  it('lists every company, at risk first, not started last, with empty projections as dashes', () => {
    const rows = [...html.matchAll(/<tr class="status-([a-z-]+)"><td>(.*?)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([
      ['at-risk', '<a href="#company-2">beta &amp; &lt;co&gt;</a>'],
      ['on-track', '<a href="#company-1">alpha</a>'],
      ['not-started', 'gamma'],
    ]);
    expect(html).toContain(
      '<tr class="status-not-started"><td>gamma</td><td>not started</td><td class="num">–</td><td class="num">–</td><td class="num">0.0 / 0.0</td><td class="num">3,072.0</td><td class="num">–</td></tr>',
    );
  });

  it("a company's page shows only its own outlook", () => {
    const alpha = renderPages({
      entity: 'dash',
      project: 'board',
      tag: 'latest',
      runs: [
        published('overall', '2025-01-03', { allocation_outlook: outlook }),
        published('alpha', '2025-01-03', {}),
      ],
      alerts: [],
    }).company('alpha');
    expect(alpha).toContain('No company is at risk');
    expect(alpha).not.toContain('beta');
  });
});
