// moto_server for the CloudWatch Logs and S3 tests: started on a free port by the tests, stopped after.
// A missing moto_server fails the tests (CI must not skip them).
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export type Moto = {
  readonly endpoint: string;
  /** The environment the product needs to reach it, as io.env. */
  readonly env: Record<string, string>;
  putLog(group: string, events: { timestamp: number; message: string }[]): Promise<void>;
  /** Creates the bucket if needed and stores one object. */
  putObject(bucket: string, key: string, body: string | Uint8Array): Promise<void>;
  stop(): Promise<void>;
};

export const MOTO_REGION = 'ap-northeast-1';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`moto_server is required for the CloudWatch tests: ${error.message}`)),
    );
    child.once('exit', (code) => reject(new Error(`moto_server exited early with code ${code}`)));
  });
  failed.catch(() => {});
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await Promise.race([
      fetch(`${endpoint}/moto-api/`).then(
        (r) => r.ok,
        () => false,
      ),
      failed,
    ]);
    if (up) break;
    if (Date.now() > deadline) throw new Error('moto_server did not start within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  const env = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: MOTO_REGION,
  };
  const client = new CloudWatchLogsClient({
    endpoint,
    region: MOTO_REGION,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const groups = new Set<string>();
  const s3 = new S3Client({
    endpoint,
    region: MOTO_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const buckets = new Set<string>();
  return {
    endpoint,
    env,
    async putObject(bucket, key, body) {
      if (!buckets.has(bucket)) {
        await s3.send(
          new CreateBucketCommand({
            Bucket: bucket,
            CreateBucketConfiguration: { LocationConstraint: MOTO_REGION },
          }),
        );
        buckets.add(bucket);
      }
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async putLog(group, events) {
      if (!groups.has(group)) {
        await client.send(new CreateLogGroupCommand({ logGroupName: group }));
        groups.add(group);
      }
      const stream = `ecs/main/${groups.size}-${Math.random().toString(36).slice(2)}`;
      await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
      const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
      const answer = await client.send(
        new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: sorted }),
      );
      if (answer.rejectedLogEventsInfo) {
        throw new Error(`moto rejected log events: ${JSON.stringify(answer.rejectedLogEventsInfo)}`);
      }
    },
    async stop() {
      client.destroy();
      s3.destroy();
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
