import type { SlackMessage } from './block-kit.js';
import type { Logger } from './logger.js';

const SLACK_TIMEOUT_MS = 15_000;

/**
 * Posts one message to a Slack incoming webhook (https://api.slack.com/messaging/webhooks); throws on a
 * non-2xx answer or after the timeout. The one Slack transport: alerts, the digest and `check` use it.
 */
export async function postSlackMessage(
  url: string,
  message: SlackMessage,
  fetchImpl: typeof fetch,
): Promise<void> {
  const response = await fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(SLACK_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`Slack answered HTTP ${response.status}`);
}

export type SendDigestDeps = { log: Logger; fetch?: typeof fetch };

/**
 * Posts the digest's messages in order. A failed message is logged (without the webhook URL, a secret)
 * and counted, never thrown: the tables are already published and the alerts sent.
 */
export async function sendDigest(
  messages: readonly SlackMessage[],
  webhookUrl: string,
  deps: SendDigestDeps,
): Promise<{ sent: number; failed: number }> {
  const result = { sent: 0, failed: 0 };
  for (const [i, message] of messages.entries()) {
    try {
      await postSlackMessage(webhookUrl, message, deps.fetch ?? globalThis.fetch);
      result.sent++;
    } catch (error) {
      result.failed++;
      const reason = error instanceof Error ? error.message : String(error);
      deps.log.warn('digest.slack_failed', {
        part: i + 1,
        parts: messages.length,
        error: reason.replaceAll(webhookUrl, '<webhook>'),
      });
    }
  }
  return result;
}
