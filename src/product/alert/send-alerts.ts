import { alertMrkdwn } from '../shared/block-kit.js';
import { escapeMrkdwn } from '../shared/inert-text.js';
import type { Logger } from '../shared/logger.js';
import { postSlackMessage } from '../shared/slack-post.js';
import type { WandbClient } from '../wandb/client.js';
import { sendAlert } from '../wandb/run-writer.js';
import type { Alert } from './types.js';

export type AlertSink = {
  /** The run the W&B alerts are attached to. */
  readonly run: { entity: string; project: string; run: string };
  readonly slackWebhookUrl: string | undefined;
};

export type SendAlertsDeps = { wandb: WandbClient; log: Logger; fetch?: typeof fetch };

/**
 * Sends each alert to W&B and, when a webhook is configured, to Slack. A Slack failure is
 * logged and counted, not fatal: the W&B alert already went out and the tables are published.
 */
export async function sendAlerts(
  alerts: readonly Alert[],
  sink: AlertSink,
  deps: SendAlertsDeps,
): Promise<{ wandb: number; slack: number; slackFailed: number }> {
  const sent = { wandb: 0, slack: 0, slackFailed: 0 };
  for (const alert of alerts) {
    await sendAlert(deps.wandb, sink.run, wandbAlert(alert));
    sent.wandb++;
    if (!sink.slackWebhookUrl) continue;
    try {
      await postToSlack(sink.slackWebhookUrl, alert, deps.fetch ?? globalThis.fetch);
      sent.slack++;
    } catch (error) {
      sent.slackFailed++;
      // The webhook URL is a secret too: log only the failure.
      deps.log.warn('alert.slack_failed', { title: alert.title, error: (error as Error).message });
    }
  }
  return sent;
}

/**
 * The alert as `notifyScriptableRunAlert` gets it. W&B forwards alerts to Slack and e-mail
 * (https://docs.wandb.ai/guides/runs/alert/), where its W&B names would be read as markup, so title and
 * text are escaped as for Slack (docs/behaviour.md §8); `alertTitle` keeps an escaped title within W&B's
 * length. The alert itself stays raw: titles are compared, and the page escapes for HTML.
 */
export function wandbAlert(alert: Alert): Alert {
  return { title: escapeMrkdwn(alert.title), text: escapeMrkdwn(alert.text), severity: alert.severity };
}

/**
 * Posts one alert as mrkdwn text to a Slack incoming webhook, its W&B names escaped; throws on a non-2xx
 * answer or after the timeout.
 */
export async function postToSlack(url: string, alert: Alert, fetchImpl: typeof fetch): Promise<void> {
  await postSlackMessage(url, { text: alertMrkdwn(alert) }, fetchImpl);
}
