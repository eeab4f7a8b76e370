// The spec of the W&B Report the job keeps in the dashboard project: a W&B view of type "runs" whose
// `spec` W&B's own report library loads (wandb/wandb-workspaces wandb_workspaces/reports/v2/internal.py
// `Spec`, `Heading`, `Paragraph`; interface.py `Report.from_url`). Field names and defaults are the ones
// that library saves (`model_dump_json(by_alias=True, exclude_none=True)`), so the W&B UI sees what it
// would see from a report saved with it.
import { sha256Hex } from '../shared/hash.js';
import { COMPANY_PAGE_KEY, OVERALL_PAGE_KEY as DASHBOARD_PAGE_KEY, OVERALL_TAG } from '../shared/names.js';
import { type PanelGridBlock, panelGrid, tagRunset } from './wandb-report-grid.js';
import {
  GRID_WIDTH,
  mediaPanel,
  type PanelLayout,
  type ReportPanel,
  summaryTablePanel,
} from './wandb-report-panels.js';

export { COMPANY_PAGE_KEY, DASHBOARD_PAGE_KEY, OVERALL_TAG };

/**
 * Tables of the overall run, in the order the report shows them (keys of calculator/company-tables.ts): the
 * allocation outlook first (docs/behaviour.md §13).
 */
export const OVERALL_TABLE_KEYS = [
  'allocation_outlook',
  'overall_gpu_usage',
  'monthly_gpu_usage',
  'weekly_gpu_usage',
  'daily_gpu_usage',
] as const;

/** Tables of a company's run, in the order the report shows them. */
export const COMPANY_TABLE_KEYS = [
  'company_daily_gpu_usage',
  'company_daily_gpu_usage_within_30days',
  'company_weekly_gpu_usage',
  'company_weekly_gpu_usage_within_4weeks',
  'company_summary',
  'company_user_usage',
] as const;

export type ReportSpecInput = {
  /** The Report's title. W&B shows a view's displayName as its heading; the spec does not repeat it. */
  readonly title: string;
  /** T, the date the tables are computed up to ('YYYY-MM-DD'). */
  readonly target: string;
  readonly entity: string;
  readonly project: string;
  /** The tag the newest Tables runs carry (config `dashboard.tag_for_latest`). */
  readonly latestTag: string;
  /** Companies with nodes on T, in the order their sections appear. */
  readonly companies: readonly string[];
  /** The month's allocation outlook the Report opens with (docs/behaviour.md §13), `at risk` first. */
  readonly outlook?: ReportOutlook | undefined;
};

/** The outlook as the Report states it: per company its status line, and its run's URL for a link. */
export type ReportOutlook = {
  readonly month: string;
  readonly companies: readonly {
    readonly company: string;
    readonly status: string;
    readonly sentence: string;
    readonly url?: string | undefined;
  }[];
};

type TextNode = { readonly text: string };
/** wandb-workspaces `InlineLink` (reports/v2/internal.py): a link inside a paragraph. */
type LinkNode = { readonly type: 'link'; readonly url: string; readonly children: readonly TextNode[] };
export type ParagraphBlock = {
  readonly type: 'paragraph';
  readonly children: readonly (TextNode | LinkNode)[];
};
export type HeadingBlock = {
  readonly type: 'heading';
  readonly children: readonly TextNode[];
  readonly level: 1 | 2 | 3;
};
export type ReportBlock = ParagraphBlock | HeadingBlock | PanelGridBlock;

export type ReportSpec = {
  readonly version: 5;
  readonly panelSettings: Record<string, never>;
  readonly blocks: readonly ReportBlock[];
  readonly width: 'readable';
  readonly authors: readonly never[];
  readonly discussionThreads: readonly never[];
};

/** Height of the media panel showing a dashboard page, in grid rows. */
const PAGE_PANEL_HEIGHT = 24;
/** Size of a Table panel: two side by side. */
const TABLE_PANEL = { w: GRID_WIDTH / 2, h: 10 } as const;

/**
 * The Report: a heading with T, a panel grid of the run tagged `overall` and `latestTag` (its page and
 * the overall Tables), then per company a heading and a panel grid of the run tagged `<company>` and
 * `latestTag` (its page and its Tables). Panel and runset ids are derived from the section and key, so
 * a rewritten report keeps them.
 */
export function buildReportSpec(input: ReportSpecInput): ReportSpec {
  const grid = (section: string, pageKey: string, tableKeys: readonly string[]): PanelGridBlock =>
    panelGrid(
      tagRunset({
        id: stableId('runset', section),
        name: section,
        entity: input.entity,
        project: input.project,
        tags: [section, input.latestTag],
      }),
      sectionPanels(section, pageKey, tableKeys),
    );
  const companies = [...new Set(input.companies)];
  return {
    version: 5,
    panelSettings: {},
    // Empty paragraphs first and last, as Report._to_model adds them and _from_model strips them.
    blocks: [
      paragraph(''),
      heading(1, `GPU usage up to ${input.target}`),
      ...outlookBlocks(input.outlook),
      grid(OVERALL_TAG, DASHBOARD_PAGE_KEY, OVERALL_TABLE_KEYS),
      ...companies.flatMap((company) => [
        heading(2, company),
        grid(company, COMPANY_PAGE_KEY, COMPANY_TABLE_KEYS),
      ]),
      paragraph(''),
    ],
    width: 'readable',
    authors: [],
    discussionThreads: [],
  };
}

function sectionPanels(section: string, pageKey: string, tableKeys: readonly string[]): ReportPanel[] {
  const page = mediaPanel(stableId('panel', section, pageKey), pageKey, pageKey, {
    x: 0,
    y: 0,
    w: GRID_WIDTH,
    h: PAGE_PANEL_HEIGHT,
  });
  const tables = tableKeys.map((key, i) => {
    const layout: PanelLayout = {
      x: (i % 2) * TABLE_PANEL.w,
      y: PAGE_PANEL_HEIGHT + Math.floor(i / 2) * TABLE_PANEL.h,
      ...TABLE_PANEL,
    };
    return summaryTablePanel(stableId('panel', section, key), key, layout);
  });
  return [page, ...tables];
}

/** A heading, a count per status, then a paragraph per company at risk (its name linking its run). */
function outlookBlocks(outlook: ReportOutlook | undefined): ReportBlock[] {
  if (outlook === undefined || outlook.companies.length === 0) return [];
  const count = (status: string) => outlook.companies.filter((c) => c.status === status).length;
  const atRisk = outlook.companies.filter((c) => c.status === 'at risk');
  return [
    heading(2, `Allocation outlook for ${outlook.month}`),
    paragraph(
      `${count('at risk')} at risk · ${count('on track')} on track · ${count('not started')} not started` +
        (atRisk.length === 0 ? ': no company is at risk of leaving its allocation unused.' : ':'),
    ),
    ...atRisk.map(
      (c): ParagraphBlock => ({
        type: 'paragraph',
        children: [
          c.url ? { type: 'link', url: c.url, children: [{ text: c.company }] } : { text: c.company },
          { text: ` — ${c.sentence}` },
        ],
      }),
    ),
  ];
}

function paragraph(text: string): ParagraphBlock {
  return { type: 'paragraph', children: [{ text }] };
}

function heading(level: 1 | 2 | 3, text: string): HeadingBlock {
  return { type: 'heading', children: [{ text }], level };
}

/** 12 lowercase hex digits from the parts, like the 12-character names the library draws at random. */
function stableId(...parts: readonly string[]): string {
  return sha256Hex(parts.join('\u0000')).slice(0, 12);
}
