// A local HTTP receiver standing in for a Slack incoming webhook; records what was posted.
import { createServer } from 'node:http';

export type SlackReceiver = {
  readonly url: string;
  readonly posts: { text: string }[];
  close(): Promise<void>;
};

export async function startSlackReceiver(): Promise<SlackReceiver> {
  const posts: { text: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
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
