import { describe, expect, it } from 'vitest';
import { calculateTables } from '../../../src/product/calculator/build-tables.js';
import { companyTables, overallTables } from '../../../src/product/calculator/company-tables.js';
import { OVERALL_TAG as CALCULATOR_OVERALL_TAG } from '../../../src/product/publish/latest-tag.js';
import type { PanelGridBlock } from '../../../src/product/report/wandb-report-grid.js';
import type { ReportPanel } from '../../../src/product/report/wandb-report-panels.js';
import {
  buildReportSpec,
  COMPANY_TABLE_KEYS,
  OVERALL_TABLE_KEYS,
  OVERALL_TAG,
  type ReportSpecInput,
} from '../../../src/product/report/wandb-report-spec.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { makeConfig } from '../../helpers/builders.js';

const INPUT: ReportSpecInput = {
  title: 'GPU usage dashboard',
  target: '2026-12-02',
  entity: 'dash-ent',
  project: 'gpu-dashboard',
  latestTag: 'latest',
  companies: ['acme', 'beta'],
};

const grids = (blocks: readonly { type: string }[]): PanelGridBlock[] =>
  blocks.filter((b): b is PanelGridBlock => b.type === 'panel-grid');

/** What each panel shows: the media keys of a media panel, the summary key a Weave table panel picks. */
function shown(panel: ReportPanel): string {
  if (panel.viewType === 'Media Browser') return `media:${(panel.config.mediaKeys as string[]).join(',')}`;
  const exp = (
    panel.config.panel2Config as { exp: { fromOp: { name: string; inputs: Record<string, unknown> } } }
  ).exp;
  const pick = exp.fromOp;
  const obj = pick.inputs.obj as { fromOp: { name: string } };
  const key = pick.inputs.key as { val: string };
  return `${pick.name}(${obj.fromOp.name}, ${key.val})`;
}

const tagLeaf = (tag: string) => ({
  op: 'IN',
  key: { section: 'run', name: 'tags' },
  value: [tag],
  disabled: false,
});

describe('buildReportSpec', () => {
  it('uses the table keys the calculator logs and its overall tag', () => {
    const config = makeConfig({
      companies: [
        { company: 'acme', teams: ['acme-team'], schedule: [{ date: '2026-11-01', assigned_gpu_node: 1 }] },
      ],
    });
    const result = calculateTables([], config, '2026-12-02' as IsoDate);
    expect([...OVERALL_TABLE_KEYS].sort()).toEqual(Object.keys(overallTables(result)).sort());
    expect([...COMPANY_TABLE_KEYS].sort()).toEqual(Object.keys(companyTables(result, 'acme')).sort());
    expect(OVERALL_TAG).toBe(CALCULATOR_OVERALL_TAG);
  });

  it('lays out a heading with T, the overall grid, then a heading and a grid per company', () => {
    const spec = buildReportSpec(INPUT);
    expect(spec.version).toBe(5);
    expect(spec.width).toBe('readable');
    expect(
      spec.blocks.map((b) =>
        b.type === 'panel-grid' ? b.type : `${b.type}:${(b.children[0] as { text?: string }).text}`,
      ),
    ).toEqual([
      'paragraph:',
      'heading:GPU usage up to 2026-12-02',
      'panel-grid',
      'heading:acme',
      'panel-grid',
      'heading:beta',
      'panel-grid',
      'paragraph:',
    ]);
    expect(spec.blocks.flatMap((b) => (b.type === 'heading' ? [b.level] : []))).toEqual([1, 2, 2]);
  });

  it('gives each grid one runset of the report project filtered on its tag AND the latest tag', () => {
    const [overall, acme, beta] = grids(buildReportSpec(INPUT).blocks);
    const runsetOf = (grid: PanelGridBlock | undefined) => {
      expect(grid?.metadata.runSets).toHaveLength(1);
      return grid?.metadata.runSets[0];
    };
    const overallSet = runsetOf(overall);
    expect(overallSet?.project).toEqual({ entityName: 'dash-ent', name: 'gpu-dashboard' });
    expect(overallSet?.filters).toEqual({
      op: 'OR',
      filters: [{ op: 'AND', filters: [tagLeaf('overall'), tagLeaf('latest')] }],
    });
    expect(runsetOf(acme)?.filters).toEqual({
      op: 'OR',
      filters: [{ op: 'AND', filters: [tagLeaf('acme'), tagLeaf('latest')] }],
    });
    expect(runsetOf(beta)?.filters).toEqual({
      op: 'OR',
      filters: [{ op: 'AND', filters: [tagLeaf('beta'), tagLeaf('latest')] }],
    });
    // The configured latest tag, not a hard-coded one.
    const [custom] = grids(buildReportSpec({ ...INPUT, latestTag: 'current' }).blocks);
    expect(runsetOf(custom)?.filters).toEqual({
      op: 'OR',
      filters: [{ op: 'AND', filters: [tagLeaf('overall'), tagLeaf('current')] }],
    });
  });

  it('shows the page as media and each Table as a Weave pick of the run summary', () => {
    const [overall, acme] = grids(buildReportSpec(INPUT).blocks);
    expect(overall?.metadata.panelBankSectionConfig.panels.map(shown)).toEqual([
      'media:dashboard',
      'pick(run-summary, allocation_outlook)',
      'pick(run-summary, overall_gpu_usage)',
      'pick(run-summary, monthly_gpu_usage)',
      'pick(run-summary, weekly_gpu_usage)',
      'pick(run-summary, daily_gpu_usage)',
    ]);
    expect(acme?.metadata.panelBankSectionConfig.panels.map(shown)).toEqual([
      'media:company_dashboard',
      'pick(run-summary, company_daily_gpu_usage)',
      'pick(run-summary, company_daily_gpu_usage_within_30days)',
      'pick(run-summary, company_weekly_gpu_usage)',
      'pick(run-summary, company_weekly_gpu_usage_within_4weeks)',
      'pick(run-summary, company_summary)',
      'pick(run-summary, company_user_usage)',
    ]);
  });

  it('opens with the outlook: a count per status, then each company at risk linking its run', () => {
    const spec = buildReportSpec({
      ...INPUT,
      companies: ['beta', 'acme'],
      outlook: {
        month: '2026-12',
        companies: [
          {
            company: 'beta',
            status: 'at risk',
            sentence: 'at risk: projected 8.3 %',
            url: 'https://x/runs/b',
          },
          { company: 'acme', status: 'on track', sentence: 'on track: projected 90.0 %' },
        ],
      },
    });
    expect(spec.blocks.slice(1, 5)).toEqual([
      { type: 'heading', level: 1, children: [{ text: 'GPU usage up to 2026-12-02' }] },
      { type: 'heading', level: 2, children: [{ text: 'Allocation outlook for 2026-12' }] },
      { type: 'paragraph', children: [{ text: '1 at risk · 1 on track · 0 not started:' }] },
      {
        type: 'paragraph',
        children: [
          { type: 'link', url: 'https://x/runs/b', children: [{ text: 'beta' }] },
          { text: ' — at risk: projected 8.3 %' },
        ],
      },
    ]);
    expect(spec.blocks[5]?.type).toBe('panel-grid');
    // Sections in the order given: the company at risk first.
    expect(
      spec.blocks.filter((b) => b.type === 'heading').map((b) => (b.children[0] as { text: string }).text),
    ).toEqual(['GPU usage up to 2026-12-02', 'Allocation outlook for 2026-12', 'beta', 'acme']);
  });

  it('places the page full width on top and the Tables two per row below it', () => {
    const [, acme] = grids(buildReportSpec(INPUT).blocks);
    expect(acme?.metadata.panelBankSectionConfig.panels.map((p) => p.layout)).toEqual([
      { x: 0, y: 0, w: 24, h: 24 },
      { x: 0, y: 24, w: 12, h: 10 },
      { x: 12, y: 24, w: 12, h: 10 },
      { x: 0, y: 34, w: 12, h: 10 },
      { x: 12, y: 34, w: 12, h: 10 },
      { x: 0, y: 44, w: 12, h: 10 },
      { x: 12, y: 44, w: 12, h: 10 },
    ]);
  });

  it('has only the overall section when no company has nodes on T', () => {
    const spec = buildReportSpec({ ...INPUT, companies: [] });
    expect(spec.blocks.map((b) => b.type)).toEqual(['paragraph', 'heading', 'panel-grid', 'paragraph']);
  });

  it('keeps panel and runset ids unique within a report and the same from one T to the next', () => {
    const ids = (spec: ReturnType<typeof buildReportSpec>) =>
      grids(spec.blocks).flatMap((g) => [
        g.metadata.runSets[0]?.id,
        ...g.metadata.panelBankSectionConfig.panels.map((p) => p.__id__),
      ]);
    const today = ids(buildReportSpec(INPUT));
    // 3 runsets; overall: page + 5 Tables; each of 2 companies: page + 6 Tables.
    expect(today).toHaveLength(3 + 6 + 7 + 7);
    expect(new Set(today).size).toBe(today.length);
    expect(ids(buildReportSpec({ ...INPUT, target: '2026-12-03' }))).toEqual(today);
  });

  it('is plain JSON', () => {
    const spec = buildReportSpec(INPUT);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });
});
