import { describe, expect, it } from 'vitest';
import { duplicateInitAlert } from '../../../src/product/alert/duplicate-init.js';
import { lowUtilizationAlerts } from '../../../src/product/alert/low-utilization.js';
import { buildDigest } from '../../../src/product/report/slack-digest.js';
import type { Block, SlackMessage } from '../../../src/product/shared/block-kit.js';
import type { IsoDate } from '../../../src/product/shared/dates.js';
import { blockKitProblems } from '../../helpers/block-kit-shape.js';
import { makeConfig } from '../../helpers/builders.js';
import { usage } from '../../helpers/report.js';

// T is a Thursday; weeks start on Sunday (the default), so T's week starts 2025-01-05.
const T = '2025-01-09' as IsoDate;
const BASE = 'https://wandb.example/dash/board';

/** A usage row as the tables show it: the utilisation is given, worked out by hand in each test. */
const row = usage;

const company = (name: string, schedule: [string, number][]) => ({
  company: name,
  teams: [name],
  schedule: schedule.map(([date, nodes]) => ({ date, assigned_gpu_node: nodes })),
});

const texts = (message: SlackMessage): string[] =>
  (message.blocks ?? []).flatMap((b: Block) =>
    b.type === 'header' || b.type === 'section'
      ? [b.text.text]
      : b.type === 'context'
        ? b.elements.map((e) => e.text)
        : [],
  );

describe('buildDigest', () => {
  // alpha: 2 nodes (384 GPU h a day) since 2025-01-01. beta & <co>: 1 node (192 h) from T, so new.
  // gamma: 1 node until 2025-01-07, none on T: not in the digest.
  const config = makeConfig({
    companies: [
      company('gamma', [
        ['2025-01-01', 1],
        ['2025-01-08', 0],
      ]),
      company('beta & <co>', [['2025-01-09', 1]]),
      company('alpha', [['2025-01-01', 2]]),
    ],
  });
  const daily = [
    // 230.4 / 384 = 60.0 %; 218.4 / 384 = 56.875 → 56.9 %.
    row('alpha', '2025-01-09', 230.4, 384, 60),
    row('alpha', '2025-01-08', 218.4, 384, 56.9),
    // 9.6 / 192 = 5.0 %, below the 10 % threshold.
    row('beta & <co>', '2025-01-09', 9.6, 192, 5),
    row('gamma', '2025-01-07', 96, 192, 50),
  ];
  const weekly = [
    // alpha, 2025-01-05 … 09: 5 days × 384 = 1,920 h; 1,000.0 / 1,920 = 52.08 → 52.1 %.
    row('alpha', '2025-01-05', 1000, 1920, 52.1),
    row('alpha', '2024-12-29', 2000, 2688, 74.4),
    row('beta & <co>', '2025-01-05', 9.6, 192, 5),
    row('gamma', '2025-01-05', 192, 576, 33.3),
  ];
  const duplicate = duplicateInitAlert(
    [
      {
        team: 'alpha',
        host: 'node-1',
        projects: ['llm'],
        runIds: ['r1', 'r2'],
        overlapStart: 0,
        overlapEnd: 3_600_000,
      },
    ],
    (ms) => (ms === 0 ? '2025-01-09 10:00:00' : '2025-01-09 11:00:00'),
  )!;
  const alerts = [...lowUtilizationAlerts(daily, T, 10), duplicate];
  const links = {
    report: `${BASE}/reports/GPU-usage-dashboard--abc`,
    runs: [
      { tag: 'overall', url: `${BASE}/runs/overall01` },
      { tag: 'alpha', url: `${BASE}/runs/alpha01` },
    ],
  };

  it('lists companies with nodes on T, their day, week and change, with the alerts and links', () => {
    expect(alerts.map((a) => a.title)).toEqual([
      'Low utilization: beta & <co>',
      'Duplicate wandb.init runs found.',
    ]);
    const messages = buildDigest({ target: T, config, daily, weekly, alerts, links });
    expect(messages).toEqual([
      {
        text: 'GPU usage digest for 2025-01-09: 2 companies, 2 alerts',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'GPU usage digest 2025-01-09' } },
          {
            type: 'context',
            elements: [
              {
                type: 'mrkdwn',
                verbatim: true,
                text: '2 companies with nodes on 2025-01-09 · week from 2025-01-05 · change against 2025-01-08',
              },
            ],
          },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              verbatim: true,
              text:
                ':warning: *Duplicate wandb.init runs found.*\n' +
                'alpha llm host node-1: 2 runs (r1, r2) overlapping 2025-01-09 10:00:00 – 2025-01-09 11:00:00',
            },
          },
          {
            type: 'context',
            elements: [
              {
                type: 'mrkdwn',
                verbatim: true,
                text: `<${BASE}/reports/GPU-usage-dashboard--abc|W&amp;B Report> · <${BASE}/runs/overall01|overall run>`,
              },
            ],
          },
          { type: 'divider' },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              verbatim: true,
              text:
                `*<${BASE}/runs/alpha01|alpha>* · 2 nodes · day 230.4 GPU h (+12.0) · 60.0% (+3.1 pt) · week 1000.0 GPU h · 52.1%\n` +
                '*beta &amp; &lt;co&gt;* · 1 node · day 9.6 GPU h · 5.0% (new) · week 9.6 GPU h · 5.0% · :warning: low utilisation',
            },
          },
        ],
      },
    ]);
    expect(blockKitProblems(messages[0])).toEqual([]);
  });

  it('shows a fall with a minus sign and no change as ±0.0, without float noise', () => {
    const cfg = makeConfig({
      companies: [company('down', [['2025-01-01', 1]]), company('flat', [['2025-01-01', 1]])],
    });
    const rows = [
      // down: 100.0 / 192 = 52.08 → 52.1 %; 150.5 / 192 = 78.39 → 78.4 %: -50.5 h, -26.3 pt.
      row('down', '2025-01-09', 100, 192, 52.1),
      row('down', '2025-01-08', 150.5, 192, 78.4),
      // flat: 10.3 - 10.1 is 0.2000000000000011 in floating point; 5.4 - 5.3 is 0.10000000000000053.
      row('flat', '2025-01-09', 10.3, 192, 5.4),
      row('flat', '2025-01-08', 10.1, 192, 5.3),
    ];
    const [message] = buildDigest({
      target: T,
      config: cfg,
      daily: rows,
      weekly: [row('down', '2025-01-05', 250.5, 960, 26.1)],
      alerts: [],
      links: { runs: [] },
    });
    expect(message!.text).toBe('GPU usage digest for 2025-01-09: 2 companies, 0 alerts');
    expect(texts(message!).at(-1)).toBe(
      '*down* · 1 node · day 100.0 GPU h (-50.5) · 52.1% (-26.3 pt) · week 250.5 GPU h · 26.1%\n' +
        '*flat* · 1 node · day 10.3 GPU h (+0.2) · 5.4% (+0.1 pt) · week: no row',
    );
    const [same] = buildDigest({
      target: T,
      config: cfg,
      daily: [row('flat', '2025-01-09', 10.3, 192, 5.4), row('flat', '2025-01-08', 10.3, 192, 5.4)],
      weekly: [],
      alerts: [],
      links: { runs: [] },
    });
    expect(texts(same!).at(-1)).toContain('*flat* · 1 node · day 10.3 GPU h (±0.0) · 5.4% (±0.0 pt)');
  });

  it('sends one message even when no company has nodes on T', () => {
    const cfg = makeConfig({ companies: [company('gone', [['2025-01-10', 1]])] });
    const messages = buildDigest({
      target: T,
      config: cfg,
      daily: [],
      weekly: [],
      alerts: [],
      links: { runs: [] },
    });
    expect(messages).toEqual([
      {
        text: 'GPU usage digest for 2025-01-09: 0 companies, 0 alerts',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'GPU usage digest 2025-01-09' } },
          {
            type: 'context',
            elements: [
              {
                type: 'mrkdwn',
                verbatim: true,
                text: '0 companies with nodes on 2025-01-09 · week from 2025-01-05 · change against 2025-01-08',
              },
            ],
          },
          { type: 'divider' },
        ],
      },
    ]);
  });
});

describe("buildDigest within Slack's limits", () => {
  /** n companies, each with 1 node, a row on T and T-1, a week row, a low-utilisation alert and a run link. */
  function fleet(n: number) {
    const ids = Array.from({ length: n }, (_, i) => `co-${String(i).padStart(4, '0')}`);
    // Names with the characters mrkdwn escapes, longer than the 100 characters a line shows.
    const names = ids.map((id) => `${id} & <partners> ${'y'.repeat(150)}`);
    const config = makeConfig({ companies: names.map((name) => company(name, [['2025-01-01', 1]])) });
    const daily = names.flatMap((name) => [
      row(name, '2025-01-09', 9.6, 192, 5),
      row(name, '2025-01-08', 19.2, 192, 10),
    ]);
    const weekly = names.map((name) => row(name, '2025-01-05', 96, 960, 10));
    // A duplicate-init alert far longer than one section holds.
    const duplicate = duplicateInitAlert(
      Array.from({ length: 300 }, (_, i) => ({
        team: `team-${i}`,
        host: 'node-1',
        projects: ['p'],
        runIds: ['a', 'b'],
        overlapStart: 0,
        overlapEnd: 1,
      })),
      () => '2025-01-09 10:00:00',
    )!;
    const alerts = [...lowUtilizationAlerts(daily, T, 10), duplicate];
    const runs = [
      ...names.map((name, i) => ({ tag: name, url: `${BASE}/runs/${ids[i]}-${'x'.repeat(60)}` })),
      // More runs that are no listed company's than one context line holds.
      ...Array.from({ length: 100 }, (_, i) => ({ tag: `extra-${i}`, url: `${BASE}/runs/extra-${i}` })),
    ];
    return { ids, input: { target: T, config, daily, weekly, alerts, links: { runs } } };
  }

  it('opens with the outlook: counts, every company at risk that fits in one text, then the statements', () => {
    const { input } = fleet(300);
    const outlook = input.config.companies.map((c, i) => ({
      company: c.company,
      month: '2025-01',
      status: i < 290 ? 'at risk' : 'on track',
      pacePercent: 5,
      projectedUsePercent: 12.5,
      usedToDate: 86.4,
      allocatedToDate: 1728,
      allocatedRest: 4416,
      idleGpuHour: 1641.6,
    }));
    const statements = input.config.companies.map((c, i) => ({
      company: c.company,
      url: `${BASE}/runs/s-${i}`,
    }));
    const messages = buildDigest({ ...input, outlook, statements });
    for (const message of messages) expect(blockKitProblems(message)).toEqual([]);
    // After the header: the outlook, then the statements.
    const [, first, statementLinks] = texts(messages[0]!);
    expect(first).toMatch(/^\*Allocation outlook for 2025-01:\* 290 at risk · 10 on track · 0 not started\n/);
    expect(first).toContain(
      ':warning: *<https://wandb.example/dash/board/runs/co-0000-' +
        'x'.repeat(60) +
        '|co-0000 &amp; &lt;partners&gt; ' +
        'y'.repeat(60),
    );
    expect(first).toContain(
      "— at risk: projected 12.5 % of 2025-01's allocation, pace 5.0 % over the last 7 days; 1,641.6 idle GPU h so far",
    );
    expect(first).toMatch(/\n… and \d+ more at risk \(see the page\)$/);
    expect(first).not.toContain('co-0295');
    expect(statementLinks).toMatch(
      /^Month-end statements: <https:\/\/wandb\.example\/dash\/board\/runs\/s-0\|/,
    );
  });

  // 120 companies fit in one message (about 9 lines a section); 2,000 need several.
  const cases = [
    { n: 120, messages: 'one' },
    { n: 2000, messages: 'several' },
  ] as const;

  for (const { n, messages: expected } of cases) {
    it(`keeps ${n} companies within 50 blocks and 3,000 characters, each company once and whole`, () => {
      const { ids, input } = fleet(n);
      const messages = buildDigest(input);
      if (expected === 'one') expect(messages).toHaveLength(1);
      else expect(messages.length).toBeGreaterThan(1);
      for (const message of messages) expect(blockKitProblems(message)).toEqual([]);
      if (messages.length > 1) {
        expect(messages.map((m) => (m.blocks![0] as { text: { text: string } }).text.text)).toEqual(
          messages.map((_, i) => `GPU usage digest 2025-01-09 (${i + 1}/${messages.length})`),
        );
      }
      // Every company line is whole: name (linked, cut at 100 characters), nodes, day, week, mark.
      const whole =
        /^\*<https:\/\/wandb\.example\/dash\/board\/runs\/co-\d{4}-x{60}\|co-\d{4} &amp; &lt;partners&gt; y+…>\* · 1 node · day 9\.6 GPU h \(-9\.6\) · 5\.0% \(-5\.0 pt\) · week 96\.0 GPU h · 10\.0% · :warning: low utilisation$/;
      const lines = messages.flatMap((m) =>
        m.blocks!.flatMap((b) =>
          b.type === 'section' && b.text.text.startsWith('*<') ? b.text.text.split('\n') : [],
        ),
      );
      for (const line of lines) expect(line).toMatch(whole);
      expect(lines.map((l) => /co-\d{4}/.exec(l)![0])).toEqual(ids);
      // The long alert is cut inside its one section, saying how much is left out.
      const alertText = texts(messages[0]!).find((t) => t.startsWith(':warning: *Duplicate'))!;
      expect(alertText).toMatch(/\n… and \d+ more lines$/);
      const linkText = texts(messages[0]!).find((t) => t.startsWith(`<${BASE}/runs/extra-0|`))!;
      expect(linkText).toMatch(/ · … and \d+ more$/);
    });
  }
});

describe('buildDigest with W&B names that hold mrkdwn', () => {
  const SHY = '\u00AD';
  // A company (a W&B team) and a duplicate-init host and project that try to ping, link and format.
  const evil = 'evil<!channel>*co*';
  const config = makeConfig({
    companies: [company(evil, [['2025-01-01', 1]]), company('@here', [['2025-01-01', 1]])],
  });
  const daily = [row(evil, '2025-01-09', 9.6, 192, 5), row('@here', '2025-01-09', 96, 192, 50)];
  const duplicate = duplicateInitAlert(
    [
      {
        team: 'alpha',
        host: 'x<!channel><https://evil.example|click>',
        projects: ['_p_'],
        runIds: ['r1', 'r2'],
        overlapStart: 0,
        overlapEnd: 3_600_000,
      },
    ],
    () => '2025-01-09 10:00:00',
  )!;
  const [message] = buildDigest({
    target: T,
    config,
    daily,
    weekly: [],
    alerts: [...lowUtilizationAlerts(daily, T, 10), duplicate],
    // A run URL that tries to end the link early and to open another.
    links: { runs: [{ tag: evil, url: `${BASE}/runs/r1|x><https://evil.example` }] },
  });

  it('shows every name literally: no mention, no link of its own, no formatting', () => {
    expect(blockKitProblems(message)).toEqual([]);
    const all = texts(message!).join('\n');
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<https://evil.example');
    expect(all).not.toContain('@here');
    // The only `<` left opens our one deliberate link; its URL part has neither `|` nor `>`.
    expect(all.match(/</g)).toHaveLength(1);
    expect(all).toContain(
      `*<${BASE}/runs/r1%7Cx&gt;&lt;https://evil.example|evil&lt;!channel&gt;${SHY}*${SHY}co${SHY}*${SHY}>*`,
    );
    expect(all).toContain(
      `alpha ${SHY}_${SHY}p${SHY}_${SHY} host x&lt;!channel&gt;&lt;https://evil.example|click&gt;: 2 runs`,
    );
    expect(all).toContain(`*@${SHY}here* · 1 node`);
  });

  it('cuts a long escaped name at 100 characters without splitting an entity', () => {
    const name = '&'.repeat(150);
    const [long] = buildDigest({
      target: T,
      config: makeConfig({ companies: [company(name, [['2025-01-01', 1]])] }),
      daily: [row(name, '2025-01-09', 96, 192, 50)],
      weekly: [],
      alerts: [],
      links: { runs: [{ tag: name, url: `${BASE}/runs/r1` }] },
    });
    // 19 whole "&amp;" (95) and "…".
    expect(texts(long!).at(-1)).toBe(
      `*<${BASE}/runs/r1|${'&amp;'.repeat(19)}…>* · 1 node · day 96.0 GPU h · 50.0% (new) · week: no row`,
    );
  });
});
