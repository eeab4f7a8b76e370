// Panels of a W&B Report panel grid, in the JSON shape W&B's report library saves them
// (wandb/wandb-workspaces wandb_workspaces/reports/v2/internal.py `MediaBrowser`, `WeavePanel`, `Layout`;
// interface.py `WeavePanelSummaryTable._to_model` for the Weave expression of a summary Table).

/** A JSON value: what a view's spec is made of. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** Position and size on the panel grid, which is 24 units wide. */
export type PanelLayout = { readonly x: number; readonly y: number; readonly w: number; readonly h: number };

export type ReportPanel = {
  readonly __id__: string;
  readonly layout: PanelLayout;
  readonly viewType: 'Media Browser' | 'Weave';
  readonly config: { readonly [key: string]: Json };
};

/** Width of W&B's report panel grid (interface.py `WeavePanelSummaryTable`: "max: 24"). */
export const GRID_WIDTH = 24;

/** Media panel of what a run logged under `key` (images, `wandb.Html` pages, …). */
export function mediaPanel(id: string, key: string, title: string, layout: PanelLayout): ReportPanel {
  return {
    __id__: id,
    layout,
    viewType: 'Media Browser',
    config: { chartTitle: title, columnCount: 1, mediaKeys: [key] },
  };
}

/** Weave panel showing the Table a run's summary holds under `key` (`runs.summary[key]`). */
export function summaryTablePanel(id: string, key: string, layout: PanelLayout): ReportPanel {
  return {
    __id__: id,
    layout,
    viewType: 'Weave',
    config: {
      panel2Config: {
        exp: {
          nodeType: 'output',
          type: runsListType(byRun({ type: 'union', members: [tableFile(), 'none'] })),
          fromOp: {
            name: 'pick',
            inputs: {
              obj: {
                nodeType: 'output',
                type: runsListType(byRun(summaryType())),
                fromOp: {
                  name: 'run-summary',
                  inputs: { run: { nodeType: 'var', type: runsListType('run'), varName: 'runs' } },
                },
              },
              key: { nodeType: 'const', type: 'string', val: key },
            },
          },
          __userInput: true,
        },
      },
    },
  };
}

/** The panel grid's runs variable: a list of up to 50 items tagged with their project and the runset's query. */
function runsListType(objectType: Json): Json {
  return {
    type: 'tagged',
    tag: {
      type: 'tagged',
      tag: { type: 'typedDict', propertyTypes: { entityName: 'string', projectName: 'string' } },
      value: { type: 'typedDict', propertyTypes: { project: 'project', filter: 'string', order: 'string' } },
    },
    value: { type: 'list', objectType, maxLength: 50 },
  };
}

function byRun(value: Json): Json {
  return { type: 'tagged', tag: { type: 'typedDict', propertyTypes: { run: 'run' } }, value };
}

function tableFile(): Json {
  return { type: 'file', extension: 'json', wbObjectType: { type: 'table', columnTypes: {} } };
}

function summaryType(): Json {
  const wandb = { type: 'typedDict', propertyTypes: { runtime: 'number' } };
  return {
    type: 'union',
    members: [
      { type: 'typedDict', propertyTypes: { _wandb: wandb } },
      {
        type: 'typedDict',
        propertyTypes: {
          _step: 'number',
          table: tableFile(),
          _wandb: wandb,
          _runtime: 'number',
          _timestamp: 'number',
        },
      },
    ],
  };
}
