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
    await sendAlert(deps.wandb, sink.run, { title: alert.title, text: alert.text, severity: alert.severity });
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

/** Posts one alert as plain text to a Slack incoming webhook; throws on a non-2xx answer or after the timeout. */
export async function postToSlack(url: string, alert: Alert, fetchImpl: typeof fetch): Promise<void> {
  await postSlackMessage(url, { text: `*${alert.title}*\n${alert.text}` }, fetchImpl);
}
