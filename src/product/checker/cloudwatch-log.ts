import { CloudWatchLogsClient, paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import { awsClientConfig } from '../shared/aws-client-config.js';
import type { JobLogSource, LogEvent } from './job-log.js';

/** A day of the job's lines is a few hundred events; this bounds a runaway log. */
const MAX_EVENTS = 50_000;

export type CloudWatchOptions = {
  logGroup: string;
  /** The config's region; else the SDK's own resolution (AWS_REGION, profile). */
  region?: string | undefined;
  /** The environment the command runs in (the CLI's io.env, so tests need not touch process.env). */
  env: Readonly<Record<string, string | undefined>>;
};

/** The job's CloudWatch log group as a JobLogSource (standard AWS configuration: awsClientConfig). */
export function cloudWatchLogSource(options: CloudWatchOptions): JobLogSource & { close(): void } {
  const client = new CloudWatchLogsClient(
    awsClientConfig(options.env, 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', options.region),
  );
  return {
    name: `CloudWatch log group ${options.logGroup}`,
    async events(term, startMs, endMs) {
      const events: LogEvent[] = [];
      const pages = paginateFilterLogEvents(
        { client },
        { logGroupName: options.logGroup, filterPattern: term, startTime: startMs, endTime: endMs },
      );
      for await (const page of pages) {
        for (const e of page.events ?? []) {
          if (e.timestamp !== undefined && e.message !== undefined)
            events.push({ timestamp: e.timestamp, message: e.message });
        }
        if (events.length >= MAX_EVENTS) break;
      }
      return events;
    },
    close: () => client.destroy(),
  };
}

/** Log lines held in memory (the demo's own job log) as a JobLogSource; terms match as substrings. */
export function memoryLogSource(name: string, events: readonly LogEvent[]): JobLogSource {
  return {
    name,
    async events(term, startMs, endMs) {
      const needle = term.replace(/^"(.*)"$/, '$1');
      return events.filter(
        (e) => e.timestamp >= startMs && e.timestamp <= endMs && e.message.includes(needle),
      );
    },
  };
}
