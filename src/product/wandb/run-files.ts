import { z } from 'zod';
import type { WandbClient } from './client.js';
import { parseData } from './json.js';
import { RUN_FILES } from './queries.js';

const filesSchema = z.object({
  project: z
    .object({
      run: z
        .object({
          files: z.object({
            edges: z.array(
              z.object({
                node: z.object({
                  name: z.string(),
                  url: z.string().nullish(),
                  directUrl: z.string().nullish(),
                }),
              }),
            ),
          }),
        })
        .nullable(),
    })
    .nullable(),
});

type RunFileLink = {
  readonly name: string;
  readonly url: string;
  readonly directUrl: string | undefined;
};

/**
 * Download links of a run's files by name; a file the run does not have is left out. `url` needs the
 * API key (Basic auth), `directUrl` is a signed link anyone holding it can open (Python SDK `File`).
 */
export async function runFileLinks(
  client: WandbClient,
  run: { entity: string; project: string; run: string },
  names: readonly string[],
): Promise<RunFileLink[]> {
  if (names.length === 0) return [];
  const data = await client.graphql<unknown>('RunFiles', RUN_FILES, {
    entity: run.entity,
    project: run.project,
    name: run.run,
    names: [...names],
    perPage: names.length,
  });
  const edges = parseData('RunFiles', filesSchema, data).project?.run?.files.edges ?? [];
  return edges.flatMap(({ node }) =>
    node.url ? [{ name: node.name, url: node.url, directUrl: node.directUrl ?? undefined }] : [],
  );
}

/** A run file's bytes, through its authenticated `url`. */
export async function downloadRunFile(client: WandbClient, link: RunFileLink): Promise<Buffer> {
  return client.download(link.url, { auth: true });
}
