// A panel grid block of a W&B Report and its runset, with the fields and defaults W&B's report library
// saves (wandb/wandb-workspaces wandb_workspaces/reports/v2/internal.py `PanelGrid`,
// `PanelGridMetadata`, `PanelBankConfig`, `PanelBankSectionConfig`, `Runset`, `RunFeed`; interface.py
// `Runset._to_model` for the run feed it writes).
import type { Json, ReportPanel } from './wandb-report-panels.js';

/** "the run's tags include `value[0]`" (expr.py: Tags() is the `tags` name of the `run` section). */
export type TagFilter = {
  readonly op: 'IN';
  readonly key: { readonly section: 'run'; readonly name: 'tags' };
  readonly value: readonly [string];
  readonly disabled: false;
};

/**
 * Runset filters in the OR-of-ANDs tree (internal.py `Filters`). The library now also writes a flat
 * "filterV2" form; it reads this tree (interface.py `Runset._from_model`, "Legacy filters") and so does
 * every W&B UI, which converts it on open.
 */
export type RunsetFilters = {
  readonly op: 'OR';
  readonly filters: readonly [{ readonly op: 'AND'; readonly filters: readonly TagFilter[] }];
};

export type Runset = {
  readonly id: string;
  readonly name: string;
  /** Without `id` (the project's internal id), as the library's v1 wrote it and v2 still accepts. */
  readonly project: { readonly entityName: string; readonly name: string };
  readonly filters: RunsetFilters;
  readonly [key: string]: Json;
};

export type PanelGridBlock = {
  readonly type: 'panel-grid';
  readonly children: readonly { readonly text: string }[];
  readonly metadata: {
    readonly runSets: readonly Runset[];
    readonly panelBankSectionConfig: {
      readonly panels: readonly ReportPanel[];
      readonly [key: string]: Json;
    };
    readonly [key: string]: Json;
  };
};

/** Runs of `project` carrying every one of `tags`, newest first. */
export function tagRunset(options: {
  readonly id: string;
  readonly name: string;
  readonly entity: string;
  readonly project: string;
  readonly tags: readonly string[];
}): Runset {
  return {
    id: options.id,
    runFeed: {
      version: 2,
      columnVisible: {},
      columnPinned: {},
      columnWidths: {},
      columnOrder: [],
      pageSize: 10,
      onlyShowSelected: false,
    },
    enabled: true,
    project: { entityName: options.entity, name: options.project },
    name: options.name,
    search: { query: '' },
    filters: {
      op: 'OR',
      filters: [
        {
          op: 'AND',
          filters: options.tags.map((tag) => ({
            op: 'IN',
            key: { section: 'run', name: 'tags' },
            value: [tag],
            disabled: false,
          })),
        },
      ],
    },
    grouping: [],
    sort: { keys: [{ key: { section: 'run', name: 'createdAt' }, ascending: false }] },
    selections: { root: 1, bounds: [], tree: [] },
    expandedRowAddresses: [],
  };
}

const FLOW_CONFIG = {
  snapToColumns: true,
  columnsPerPage: 3,
  rowsPerPage: 2,
  gutterWidth: 16,
  boxWidth: 460,
  boxHeight: 300,
};

const LOCAL_PANEL_SETTINGS = {
  smoothingWeight: 0,
  smoothingType: 'exponential',
  xAxis: '_step',
  ignoreOutliers: false,
  useRunsTableGroupingInPanels: true,
  // pydantic computed fields of LocalPanelSettings, dumped with the rest.
  smoothingActive: true,
  xAxisActive: false,
};

/** A panel grid showing `panels` for the runs of `runset`. */
export function panelGrid(runset: Runset, panels: readonly ReportPanel[]): PanelGridBlock {
  return {
    type: 'panel-grid',
    children: [{ text: '' }],
    metadata: {
      openViz: true,
      openRunSet: 0,
      name: 'unused-name',
      runSets: [runset],
      hideRunSets: false,
      panels: { views: { '0': { name: 'Panels', defaults: [], config: [] } }, tabs: ['0'] },
      panelBankConfig: {
        state: 0,
        settings: { autoOrganizePrefix: 2, showEmptySections: false, sortAlphabetically: false },
        sections: [
          {
            name: 'Hidden Panels',
            isOpen: false,
            type: 'flow',
            flowConfig: FLOW_CONFIG,
            sorted: 0,
            localPanelSettings: LOCAL_PANEL_SETTINGS,
            panels: [],
          },
        ],
      },
      panelBankSectionConfig: {
        name: 'Report Panels',
        isOpen: false,
        panels,
        type: 'grid',
        flowConfig: FLOW_CONFIG,
        sorted: 0,
        localPanelSettings: LOCAL_PANEL_SETTINGS,
      },
      customRunColors: {},
    },
  };
}
