import { describe, expect, it } from 'vitest';
import { appUrlOf, reportSlug, reportUrl } from '../../../src/product/report/report-url.js';

describe('appUrlOf (wandb/util.py api_to_app_url)', () => {
  it.each([
    ['https://api.wandb.ai', 'https://wandb.ai'],
    ['https://api.wandb.ai/', 'https://wandb.ai'],
    ['https://api.wandb.test', 'https://app.wandb.test'],
    ['https://api.example.com', 'https://app.example.com'],
    ['http://127.0.0.1:41234', 'http://127.0.0.1:41234'],
    ['https://wandb.internal.example', 'https://wandb.internal.example'],
  ])('%s -> %s', (api, app) => {
    expect(appUrlOf(api)).toBe(app);
  });
});

describe('reportUrl', () => {
  it('is <app>/<entity>/<project>/reports/<Title-slug>--<id>', () => {
    expect(
      reportUrl({
        appUrl: 'https://wandb.ai',
        entity: 'team',
        project: 'gpu-dashboard',
        title: 'GPU usage dashboard',
        id: 'VmlldzoxMg==',
      }),
    ).toBe('https://wandb.ai/team/gpu-dashboard/reports/GPU-usage-dashboard--VmlldzoxMg==');
  });

  it('keeps only the app origin and encodes what would split the path', () => {
    const url = reportUrl({
      appUrl: 'http://127.0.0.1:8080/ignored/',
      entity: 'e',
      project: 'p',
      title: 'A/B usage?',
      id: 'VmlldzoxMw==',
    });
    expect(url).toBe('http://127.0.0.1:8080/e/p/reports/A%2FB-usage%3F--VmlldzoxMw==');
    // wandb-workspaces _url_to_report_id: five path parts, the id after the last "--".
    const parts = new URL(url).pathname.split('/');
    expect(parts).toHaveLength(5);
    const name = parts[4] ?? '';
    expect(name.slice(name.lastIndexOf('--') + 2)).toBe('VmlldzoxMw==');
  });

  it('turns every space of the title into a dash', () => {
    expect(reportSlug('GPU  usage dashboard')).toBe('GPU--usage-dashboard');
  });
});
