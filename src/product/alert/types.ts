export type AlertSeverity = 'INFO' | 'WARN' | 'ERROR';

/** An alert to send to W&B (notifyScriptableRunAlert) and, when configured, Slack. */
export type Alert = { readonly title: string; readonly text: string; readonly severity: AlertSeverity };
