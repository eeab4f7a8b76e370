// A local HTTP receiver standing in for a Slack incoming webhook; records what was posted and answers
// `status` (200 by default, as Slack does with the body "ok").
import { createServer } from 'node:http';

/** What a webhook post carries: `text` always, `blocks` for a Block Kit message. */
export type SlackPost = { text: string; blocks?: unknown };

export type SlackReceiver = {
  readonly url: string;
  readonly posts: SlackPost[];
  close(): Promise<void>;
};

export async function startSlackReceiver(options: { status?: number } = {}): Promise<SlackReceiver> {
  const status = options.status ?? 200;
  const posts: SlackPost[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as SlackPost);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'internal_error');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/XXXX`,
    posts,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
