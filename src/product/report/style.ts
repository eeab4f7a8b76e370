/** The page's stylesheet, inline (the page loads nothing). */
export const PAGE_STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK JP",sans-serif;margin:0;padding:16px 24px;color:#1f2937;background:#f8fafc}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}h3{font-size:15px;margin:0}h4{font-size:13px;margin:10px 0 4px;color:#374151}
.meta{color:#6b7280;font-size:12px;margin:2px 0 6px}code{background:#eef2f7;padding:0 3px;border-radius:3px}
table{border-collapse:collapse;background:#fff}th,td{border:1px solid #e5e7eb;padding:3px 8px;text-align:left;white-space:nowrap}th{background:#f1f5f9;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}table.data{font-size:12px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(880px,1fr));gap:14px}
.company{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px 14px}
.charts{display:flex;gap:12px;flex-wrap:wrap}figure{margin:0}figcaption{font-size:11px;color:#6b7280;text-align:center}
svg text{font:11px system-ui,sans-serif;fill:#4b5563}svg .unit{fill:#6b7280}svg .grid{stroke:#e5e7eb}
svg .bar{fill:#3b82f6}svg .alloc{fill:none;stroke:#dc2626;stroke-width:2;stroke-dasharray:5 3}
svg .allocated{fill:#f1f5f9;stroke:#94a3b8;stroke-dasharray:4 2}svg .pct{font-weight:600;fill:#1f2937}
svg .company{font-size:12px;fill:#1f2937}svg .cell.none{fill:#f3f4f6;stroke:#e5e7eb}svg .value{fill:#1f2937;font-size:10px}svg .value.dark{fill:#fff}
.legend{font-size:12px;color:#4b5563}.swatch{display:inline-block;width:12px;height:12px;margin:0 4px 0 10px;vertical-align:-2px;border:1px solid #cbd5e1}
.swatch.used{background:#3b82f6}.swatch.allocated{background:#f1f5f9;border-style:dashed}.swatch.low{background:#eff3ff}.swatch.high{background:#08306b}.swatch.none{background:#f3f4f6}
.line{display:inline-block;width:22px;margin:0 4px 0 10px;border-top:2px dashed #dc2626;vertical-align:3px}
.problems{color:#b45309;font-size:12px}ul.alerts{list-style:none;padding:0}li.alert{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:6px 10px;margin:6px 0}
li.alert pre{margin:4px 0 0;font-size:12px;white-space:pre-wrap}.when{font-variant-numeric:tabular-nums;color:#374151}.severity{font-size:11px;color:#b45309}
ul.at-risk{padding-left:18px}tr.status-at-risk td{background:#fff7ed}tr.status-at-risk td:nth-child(2){color:#b45309;font-weight:600}
details{margin:4px 0}details.run>summary{font-weight:600}details.table{margin-left:18px}
`;
