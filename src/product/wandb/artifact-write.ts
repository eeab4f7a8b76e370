import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { artifactDigest, type ManifestEntry, manifestJson } from '../shared/artifact-manifest.js';
import { md5Base64 } from '../shared/hash.js';
import type { WandbClient } from './client.js';
import { WandbResponseError } from './errors.js';
import { parseData } from './json.js';
import {
  COMMIT_ARTIFACT,
  CREATE_ARTIFACT,
  CREATE_ARTIFACT_FILES,
  CREATE_ARTIFACT_MANIFEST,
} from './queries.js';
import { parseUploadHeaders } from './signed-upload.js';

type WriteArtifactOptions = {
  entity: string;
  project: string;
  /** Id of an existing run that logs the artifact. */
  runId: string;
  /** Collection name, e.g. `all_runs_data`. */
  name: string;
  type: string;
  files: readonly { name: string; body: Buffer | string }[];
  /**
   * Files kept from an earlier version as they are (its manifest entries: digest, size, birthArtifactID):
   * listed in the new version's manifest but neither sent to createArtifactFiles nor uploaded, as W&B's
   * `Artifact.new_draft()` does; W&B stores files by content (docs/wandb-protocol.md §17).
   */
  reused?: readonly ManifestEntry[];
  /** `latest` is always added. */
  aliases?: readonly string[];
  /** Sent as the JSONString `metadata` of createArtifact (docs/wandb-protocol.md §11 step 1). */
  metadata?: Readonly<Record<string, unknown>>;
};

export type WrittenArtifact = {
  id: string;
  versionIndex?: number;
  state: 'COMMITTED' | 'PENDING';
  /** An identical version already existed (digest dedupe): nothing was uploaded. */
  deduplicated: boolean;
};

const stateSchema = z.enum(['COMMITTED', 'PENDING', 'DELETED']);
const createSchema = z.object({
  createArtifact: z.object({
    artifact: z.object({
      id: z.string(),
      state: stateSchema,
      versionIndex: z.number().int().nullish(),
      artifactSequence: z.object({ latestArtifact: z.object({ id: z.string() }).nullish() }).nullish(),
    }),
  }),
});
const manifestSchema = z.object({
  createArtifactManifest: z.object({
    artifactManifest: z.object({
      id: z.string(),
      file: z.object({ uploadUrl: z.string().nullish(), uploadHeaders: z.array(z.string()).nullish() }),
    }),
  }),
});
const filesSchema = z.object({
  createArtifactFiles: z.object({
    files: z.object({
      edges: z.array(
        z.object({
          node: z.object({
            name: z.string(),
            uploadUrl: z.string().nullish(),
            uploadHeaders: z.array(z.string()).nullish(),
            artifact: z.object({ id: z.string() }).nullish(),
          }),
        }),
      ),
    }),
  }),
});
const commitSchema = z.object({
  commitArtifact: z.object({
    artifact: z.object({ id: z.string(), state: stateSchema, versionIndex: z.number().int().nullish() }),
  }),
});

/** Logs a new artifact version with the exact docs/wandb-protocol.md §11 sequence; identical content dedupes to the existing version. */
export async function writeArtifact(
  client: WandbClient,
  options: WriteArtifactOptions,
): Promise<WrittenArtifact> {
  const files = options.files.map((f) => ({ ...f, md5: md5Base64(f.body), size: Buffer.byteLength(f.body) }));
  const reused = options.reused ?? [];
  const names = { entityName: options.entity, projectName: options.project, runName: options.runId };
  const created = parseData(
    'CreateArtifact',
    createSchema,
    await client.graphql<unknown>('CreateArtifact', CREATE_ARTIFACT, {
      input: {
        ...names,
        artifactTypeName: options.type,
        artifactCollectionName: options.name,
        digest: artifactDigest([
          ...reused.map((e) => ({ path: e.path, digest: e.digest })),
          ...files.map((f) => ({ path: f.name, digest: f.md5 })),
        ]),
        digestAlgorithm: 'MANIFEST_MD5',
        aliases: [...new Set([...(options.aliases ?? []), 'latest'])].map((alias) => ({
          artifactCollectionName: options.name,
          alias,
        })),
        clientID: randomUUID(),
        sequenceClientID: randomUUID(),
        enableDigestDeduplication: true,
        metadata: options.metadata === undefined ? null : JSON.stringify(options.metadata),
        description: null,
      },
    }),
  ).createArtifact.artifact;
  if (created.state === 'COMMITTED') return written(created, true);
  if (created.state !== 'PENDING') throw new WandbResponseError('CreateArtifact', `state ${created.state}`);
  const artifactID = created.id;
  const manifestVars = {
    ...names,
    artifactID,
    baseArtifactID: created.artifactSequence?.latestArtifact?.id ?? null,
    name: 'wandb_manifest.json',
  };
  const placeholder = await client.graphql<unknown>('CreateArtifactManifest', CREATE_ARTIFACT_MANIFEST, {
    ...manifestVars,
    digest: '',
    includeUpload: false,
  });
  const manifestId = parseData('CreateArtifactManifest', manifestSchema, placeholder).createArtifactManifest
    .artifactManifest.id;

  const nodes = files.length === 0 ? [] : await createFiles(client, artifactID, manifestId, files);
  const sent: ManifestEntry[] = await Promise.all(
    files.map(async (file, i) => {
      // Nodes come back in request order (docs/wandb-protocol.md §11 step 3); match by name when the server reorders them.
      const node = nodes[i]?.name === file.name ? nodes[i] : nodes.find((n) => n.name === file.name);
      if (!node) throw new WandbResponseError('CreateArtifactFiles', `no upload entry for ${file.name}`);
      if (node.uploadUrl) {
        await client.upload(node.uploadUrl, file.body, parseUploadHeaders(node.uploadHeaders ?? []));
      }
      return {
        path: file.name,
        digest: file.md5,
        size: file.size,
        birthArtifactID: node.artifact?.id ?? artifactID,
      };
    }),
  );

  const manifest = manifestJson([...reused, ...sent]);
  const final = await client.graphql<unknown>('CreateArtifactManifest', CREATE_ARTIFACT_MANIFEST, {
    ...manifestVars,
    digest: md5Base64(manifest),
    includeUpload: true,
  });
  const { file } = parseData('CreateArtifactManifest', manifestSchema, final).createArtifactManifest
    .artifactManifest;
  if (file.uploadUrl) {
    await client.upload(file.uploadUrl, manifest, parseUploadHeaders(file.uploadHeaders ?? []));
  }

  const commit = await client.graphql<unknown>('CommitArtifact', COMMIT_ARTIFACT, { artifactID });
  return written(parseData('CommitArtifact', commitSchema, commit).commitArtifact.artifact, false);
}

/** createArtifactFiles for the files with bytes to send: an upload URL each, or none when W&B holds the content. */
async function createFiles(
  client: WandbClient,
  artifactID: string,
  artifactManifestID: string,
  files: readonly { name: string; md5: string }[],
) {
  const fileData = await client.graphql<unknown>('CreateArtifactFiles', CREATE_ARTIFACT_FILES, {
    storageLayout: 'V2',
    artifactFiles: files.map((f) => ({ artifactID, artifactManifestID, name: f.name, md5: f.md5 })),
  });
  return parseData('CreateArtifactFiles', filesSchema, fileData).createArtifactFiles.files.edges.map(
    (e) => e.node,
  );
}

function written(
  artifact: {
    id: string;
    state: 'COMMITTED' | 'PENDING' | 'DELETED';
    versionIndex?: number | null | undefined;
  },
  isDeduplicated: boolean,
): WrittenArtifact {
  if (artifact.state === 'DELETED') throw new WandbResponseError('CommitArtifact', 'artifact state DELETED');
  return {
    id: artifact.id,
    state: artifact.state,
    deduplicated: isDeduplicated,
    ...(artifact.versionIndex == null ? {} : { versionIndex: artifact.versionIndex }),
  };
}
