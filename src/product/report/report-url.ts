/**
 * The W&B app (UI) URL for an API base URL, without a trailing slash: api.wandb.ai → wandb.ai, other
 * `api.` hosts → `app.`, anything else (a local or self-hosted server) unchanged.
 * parity: wandb/wandb wandb/util.py `api_to_app_url` (WANDB_APP_URL, which Python reads first, is left
 * to the caller).
 */
export function appUrlOf(apiBaseUrl: string): string {
  const strip = (url: string) => url.replace(/^\/+|\/+$/g, '');
  if (apiBaseUrl.includes('://api.wandb.test')) return strip(apiBaseUrl.replace('://api.', '://app.'));
  if (apiBaseUrl.includes('://api.wandb.')) return strip(apiBaseUrl.replace('://api.', '://'));
  if (apiBaseUrl.includes('://api.')) return strip(apiBaseUrl.replace('://api.', '://app.'));
  return apiBaseUrl;
}

/** The title as a report URL shows it: spaces become dashes (wandb-workspaces interface.py `Report.url`). */
export function reportSlug(title: string): string {
  return title.replaceAll(' ', '-');
}

/**
 * `<app origin>/<entity>/<project>/reports/<Title-slug>--<id>`, the form wandb-workspaces builds
 * (wandb_workspaces/reports/v2/interface.py `Report.url`: the app URL's scheme and host, its path
 * dropped) and parses back (`_url_to_report_id` splits the path into exactly five parts and takes the
 * id after the last `--`). Characters that would end or split the path are percent-encoded.
 */
export function reportUrl(options: {
  readonly appUrl: string;
  readonly entity: string;
  readonly project: string;
  readonly title: string;
  readonly id: string;
}): string {
  const { origin } = new URL(options.appUrl);
  const segment = (text: string) => encodeURIComponent(text);
  return `${origin}/${segment(options.entity)}/${segment(options.project)}/reports/${segment(reportSlug(options.title))}--${options.id}`;
}

/** A run's page in the app, `<app>/<entity>/<project>/runs/<id>`, each segment percent-encoded (a name cannot end a link). */
export function runUrl(appUrl: string, entity: string, project: string, runId: string): string {
  const segment = (text: string) => encodeURIComponent(text);
  return `${appUrl}/${segment(entity)}/${segment(project)}/runs/${segment(runId)}`;
}
