// Plain HTML previews for the README's pictures: what a Slack client shows of a digest message, and an
// outline of a W&B Report's blocks (W&B's UI renders the real panels; this lists them where they stand).
import { escapeHtml } from '../../src/product/report/html.js';

const PAGE = (body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><style>body{font:14px/1.45 system-ui,sans-serif;margin:16px;color:#1d1c1d;background:#fff;max-width:760px}h1{font-size:18px;margin:0 0 8px}h2{font-size:16px;margin:16px 0 6px}.block{margin:6px 0;white-space:pre-wrap}.ctx{color:#616061;font-size:12px}hr{border:0;border-top:1px solid #ddd}a{color:#1264a3;text-decoration:none}.grid{border:1px solid #d0d7de;border-radius:6px;padding:8px;margin:6px 0;background:#f6f8fa}.panel{display:inline-block;border:1px solid #d0d7de;border-radius:4px;padding:4px 8px;margin:3px;background:#fff;font-size:12px}.runset{font-size:12px;color:#57606a;margin-bottom:4px}</style></head><body>${body}</body></html>`;

/** Slack's mrkdwn as a client shows it: *bold*, <url|label> links, line breaks. */
function mrkdwn(text: string): string {
  return escapeHtml(text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'))
    .replace(/&lt;(\S+?)\|(.+?)&gt;/g, '<a href="#">$2</a>')
    .replace(/\*([^*\n]+)\*/g, '<b>$1</b>');
}

type Text = { type: string; text: string };
type Block = { type: string; text?: Text; elements?: Text[] };

export function digestPreviewHtml(message: { blocks?: unknown }): string {
  const blocks = (message.blocks ?? []) as Block[];
  const body = blocks.map((b) => {
    if (b.type === 'header') return `<h1>${escapeHtml(b.text?.text ?? '')}</h1>`;
    if (b.type === 'divider') return '<hr>';
    if (b.type === 'context')
      return `<div class="block ctx">${(b.elements ?? []).map((e) => mrkdwn(e.text)).join(' · ')}</div>`;
    return `<div class="block">${mrkdwn(b.text?.text ?? '')}</div>`;
  });
  return PAGE(`<div style="border-left:4px solid #4a154b;padding-left:12px">${body.join('')}</div>`);
}

type SpecBlock = {
  type: string;
  level?: number;
  children?: { text: string }[];
  metadata?: Record<string, unknown>;
};

/** Every `val` and `value` string under a JSON value: the tags a runset filters on, the key a panel picks. */
function strings(value: unknown, keys: readonly string[], out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) strings(v, keys, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (keys.includes(k) && typeof v === 'string') out.push(v);
      else if (keys.includes(k) && Array.isArray(v))
        out.push(...v.filter((x): x is string => typeof x === 'string'));
      else strings(v, keys, out);
    }
  }
  return out;
}

export function reportOutlineHtml(title: string, specJson: string): string {
  const spec = JSON.parse(specJson) as { blocks: SpecBlock[] };
  const body = spec.blocks.map((b) => {
    const text = escapeHtml((b.children ?? []).map((c) => c.text).join(''));
    if (b.type === 'heading') return b.level === 1 ? `<h1>${text}</h1>` : `<h2>${text}</h2>`;
    if (b.type !== 'panel-grid') return text ? `<div class="block">${text}</div>` : '';
    const meta = b.metadata ?? {};
    const runsets = (meta.runSets as { name: string; filters: unknown }[]) ?? [];
    const panels = (
      (meta.panelBankSectionConfig as { panels?: { viewType: string; config: unknown }[] })?.panels ?? []
    ).map(
      (p) =>
        `<span class="panel">${escapeHtml(p.viewType === 'Weave' ? 'Table' : 'Media')}: ${escapeHtml(strings(p.config, ['mediaKeys', 'val']).join(', '))}</span>`,
    );
    const sets = runsets.map(
      (r) =>
        `runset <b>${escapeHtml(r.name)}</b>: runs tagged ${escapeHtml(strings(r.filters, ['value']).join(' and '))}`,
    );
    return `<div class="grid"><div class="runset">${sets.join('<br>')}</div>${panels.join('')}</div>`;
  });
  return PAGE(
    `<div class="ctx">W&amp;B Report (outline of its blocks)</div><h1 style="font-size:22px">${escapeHtml(title)}</h1>${body.join('')}`,
  );
}
