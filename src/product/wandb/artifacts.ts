import { z } from 'zod';
import type { ManifestEntry } from '../shared/artifact-manifest.js';
import { md5Base64 } from '../shared/hash.js';
import type { WandbClient } from './client.js';
import { ArtifactIntegrityError, WandbResponseError } from './errors.js';
import { parseData, parseJsonString } from './json.js';
import { collectPages } from './pagination.js';
import { ARTIFACT_BY_NAME, ARTIFACT_FILE_URLS, ARTIFACT_VERSION } from './queries.js';

export { type WrittenArtifact, writeArtifact } from './artifact-write.js';

type ArtifactRef = {
  entity: string;
  project: string;
  /** `coll:alias` (`all_runs_data:latest`, `all_runs_data:v3`); a bare collection name means `:latest`. */
  name: string;
};
export type ArtifactVersion = { id: string; versionIndex: number; digest: string };

const versionSchema = z.object({
  id: z.string(),
  versionIndex: z.number().int().nullish(),
  state: z.string(),
  digest: z.string(),
});
const byNameSchema = z.object({
  project: z
    .object({
      artifact: versionSchema
        .extend({ currentManifest: z.object({ file: z.object({ directUrl: z.string() }) }).nullish() })
        .nullable(),
    })
    .nullable(),
});
const versionQuerySchema = z.object({ project: z.object({ artifact: versionSchema.nullable() }).nullable() });
const fileUrlsSchema = z.object({
  artifact: z
    .object({
      files: z.object({
        pageInfo: z.object({ endCursor: z.string().nullish(), hasNextPage: z.boolean() }),
        edges: z.array(z.object({ node: z.object({ name: z.string(), directUrl: z.string() }).nullable() })),
      }),
    })
    .nullable(),
});

/** What a reader needs from a manifest (docs/wandb-protocol.md §11 step 4); unknown keys (`ref`, `extra`, `local_path`, …) are ignored. */
const manifestSchema = z.object({
  version: z.number().optional(),
  contents: z.record(
    z.string(),
    z.object({ digest: z.string(), size: z.number().nullish(), birthArtifactID: z.string().nullish() }),
  ),
});

const withAlias = (name: string): string => (name.includes(':') ? name : `${name}:latest`);

function toVersion(operation: string, artifact: z.infer<typeof versionSchema>): ArtifactVersion {
  if (artifact.versionIndex == null || artifact.state !== 'COMMITTED') {
    throw new WandbResponseError(operation, `artifact ${artifact.id} is not a committed version`);
  }
  return { id: artifact.id, versionIndex: artifact.versionIndex, digest: artifact.digest };
}

/** The version `name` resolves to (`:latest` by default); undefined when the project or artifact is missing. */
export async function latestArtifactVersion(
  client: WandbClient,
  ref: ArtifactRef,
): Promise<ArtifactVersion | undefined> {
  const data = await client.graphql<unknown>('ArtifactVersion', ARTIFACT_VERSION, {
    entityName: ref.entity,
    projectName: ref.project,
    name: withAlias(ref.name),
  });
  const artifact = parseData('ArtifactVersion', versionQuerySchema, data).project?.artifact;
  return artifact ? toVersion('ArtifactVersion', artifact) : undefined;
}

/**
 * Downloads one file of an artifact version and checks it against the manifest digest. Undefined only when
 * the project or the artifact does not exist; anything else that goes wrong throws (callers fail closed).
 */
export async function readArtifactFile(
  client: WandbClient,
  options: ArtifactRef & { file: string },
): Promise<{ version: ArtifactVersion; body: Buffer } | undefined> {
  const opened = await openArtifact(client, options);
  if (!opened) return undefined;
  if (!opened.entries.some((e) => e.path === options.file)) {
    throw new WandbResponseError('ArtifactByName', `${opened.label} has no file ${options.file}`);
  }
  return { version: opened.version, body: await opened.read(options.file) };
}

/** An artifact version with its manifest read: its files' entries, and a reader for each file's bytes. */
export type OpenedArtifact = {
  readonly version: ArtifactVersion;
  readonly label: string;
  /** The manifest's entries (path, digest, size, birthArtifactID), sorted by path. */
  readonly entries: readonly ManifestEntry[];
  /** One file's bytes, checked against its manifest digest. */
  read(path: string): Promise<Buffer>;
};

/**
 * A version by name (`coll:alias`) with its manifest; undefined only when the project or the artifact
 * does not exist. The file URLs are listed once, on the first read.
 */
export async function openArtifact(
  client: WandbClient,
  ref: ArtifactRef,
): Promise<OpenedArtifact | undefined> {
  const op = 'ArtifactByName';
  const label = `${ref.entity}/${ref.project}/${withAlias(ref.name)}`;
  const data = await client.graphql<unknown>(op, ARTIFACT_BY_NAME, {
    entityName: ref.entity,
    projectName: ref.project,
    name: withAlias(ref.name),
  });
  const artifact = parseData(op, byNameSchema, data).project?.artifact;
  if (!artifact) return undefined;
  const version = toVersion(op, artifact);
  const manifestUrl = artifact.currentManifest?.file.directUrl;
  if (!manifestUrl) throw new WandbResponseError(op, `${label} has no manifest`);
  const manifestText = (await client.download(manifestUrl, { auth: false })).toString('utf8');
  const manifest = parseData(op, manifestSchema, parseJsonString(op, manifestText));
  const entries = Object.entries(manifest.contents)
    .map(
      ([path, e]): ManifestEntry => ({
        path,
        digest: e.digest,
        size: e.size ?? 0,
        ...(e.birthArtifactID ? { birthArtifactID: e.birthArtifactID } : {}),
      }),
    )
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let urls: Promise<Map<string, string>> | undefined;
  return {
    version,
    label,
    entries,
    async read(path) {
      const entry = manifest.contents[path];
      if (!entry) throw new WandbResponseError(op, `${label} has no file ${path}`);
      urls ??= fileUrls(client, version.id);
      const url = (await urls).get(path);
      if (!url) throw new WandbResponseError('ArtifactFileURLs', `${label} lists no URL for ${path}`);
      const body = await client.download(url, { auth: false });
      const actual = md5Base64(body);
      if (actual !== entry.digest) throw new ArtifactIntegrityError(label, path, entry.digest, actual);
      return body;
    },
  };
}

/** Every file's download URL of a version, by path (paged, as W&B pages them). */
async function fileUrls(client: WandbClient, artifactId: string): Promise<Map<string, string>> {
  const op = 'ArtifactFileURLs';
  const nodes = await collectPages(async (cursor) => {
    const data = await client.graphql<unknown>(op, ARTIFACT_FILE_URLS, {
      id: artifactId,
      cursor,
      perPage: 100,
    });
    const files = parseData(op, fileUrlsSchema, data).artifact?.files;
    if (!files) return { nodes: [], endCursor: null, hasNextPage: false };
    return {
      nodes: files.edges.flatMap((e) => (e.node ? [e.node] : [])),
      endCursor: files.pageInfo.endCursor ?? null,
      hasNextPage: files.pageInfo.hasNextPage,
    };
  });
  return new Map(nodes.filter((n) => n.directUrl).map((n) => [n.name, n.directUrl]));
}
