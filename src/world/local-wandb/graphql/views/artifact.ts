import { formatWandbDate } from '../../../seed/datetime.js';
import type { ArtifactFileRec, ArtifactRec, CollectionRec } from '../../store/model.js';
import { paginate } from '../connection.js';
import { type Args, type GqlContext, int, str } from '../context.js';

/** `coll:alias` → parts; a bare name means `latest`. */
export function splitArtifactName(name: string): { name: string; alias: string } {
  const at = name.lastIndexOf(':');
  return at < 0 ? { name, alias: 'latest' } : { name: name.slice(0, at), alias: name.slice(at + 1) };
}

/** Committed versions of a collection, oldest first. */
export function versionsOf(ctx: GqlContext, c: CollectionRec): ArtifactRec[] {
  return ctx.store
    .artifacts()
    .filter((a) => a.entity === c.entity && a.project === c.project && a.collection === c.name)
    .filter((a) => a.state === 'COMMITTED')
    .sort((a, b) => (a.versionIndex ?? 0) - (b.versionIndex ?? 0));
}

/** Resolves `coll:latest`, `coll:v3` or `coll:<alias>` in a project (docs/wandb-protocol.md §12). */
export function resolveArtifactName(
  ctx: GqlContext,
  entity: string,
  project: string,
  fullName: string,
): ArtifactRec | undefined {
  const { name, alias } = splitArtifactName(fullName);
  const collection = ctx.store.collection(entity, project, name);
  if (!collection) return undefined;
  const version = /^v(\d+)$/.exec(alias);
  if (version) return versionsOf(ctx, collection).find((a) => a.versionIndex === Number(version[1]));
  const id = collection.aliases[alias];
  return id === undefined ? undefined : ctx.store.artifact(id);
}

function aliasesOf(ctx: GqlContext, artifact: ArtifactRec) {
  const collection = ctx.store.collection(artifact.entity, artifact.project, artifact.collection);
  if (!collection) return [];
  return Object.entries(collection.aliases)
    .filter(([, id]) => id === artifact.id)
    .map(([alias]) => ({
      id: Buffer.from(`ArtifactAlias:${artifact.id}:${alias}`).toString('base64'),
      alias,
      artifactCollectionName: collection.name,
      artifactCollection: () => collectionView(collection, ctx),
      artifact: () => artifactView(artifact, ctx),
    }));
}

/** A signed link to stored bytes by their MD5 (opened without the key, docs/wandb-protocol.md §12). */
const blobUrl = (ctx: GqlContext, hex: string): string =>
  `${ctx.baseUrl}${ctx.signer.signedPath(['_local', 'blobs', hex])}`;

function artifactFileView(
  ctx: GqlContext,
  artifact: ArtifactRec,
  file: ArtifactFileRec,
  uploadUrl: string | null,
) {
  const directUrl = file.blob ? blobUrl(ctx, file.blob) : '';
  return {
    id: file.id,
    name: file.name,
    displayName: file.name.split('/').at(-1) ?? file.name,
    url: () => directUrl,
    directUrl,
    sizeBytes: file.size ?? 0,
    md5: file.md5,
    digest: file.md5,
    mimetype: null,
    createdAt: formatWandbDate(artifact.createdAt),
    updatedAt: formatWandbDate(artifact.updatedAt),
    uploadUrl,
    uploadHeaders: uploadUrl === null ? [] : ctx.uploads.headers,
    storagePath: file.blob ? `blobs/${file.blob}` : null,
    artifact: () => artifactView(artifact, ctx),
  };
}

export { artifactFileView };

export function manifestView(ctx: GqlContext, artifact: ArtifactRec, uploadUrl: string | null = null) {
  const manifest = artifact.manifest;
  if (!manifest) return null;
  const file: ArtifactFileRec = {
    id: `${manifest.id}:file`,
    name: 'wandb_manifest.json',
    md5: manifest.digest,
    blob: manifest.blob,
    size: null,
  };
  return {
    id: manifest.id,
    type: 'FULL',
    digest: manifest.digest,
    createdAt: formatWandbDate(artifact.createdAt),
    artifact: () => artifactView(artifact, ctx),
    file: artifactFileView(ctx, artifact, file, uploadUrl),
  };
}

/** An Artifact object with the docs/wandb-protocol.md §12 fields. */
export function artifactView(artifact: ArtifactRec, ctx: GqlContext) {
  const collection = ctx.store.collection(artifact.entity, artifact.project, artifact.collection);
  const project = ctx.store.project(artifact.entity, artifact.project);
  const size = artifact.files.reduce((sum, f) => sum + (f.size ?? 0), 0);
  return {
    id: artifact.id,
    digest: artifact.digest,
    description: artifact.description,
    state: artifact.state,
    size,
    storageBytes: size,
    fileCount: artifact.files.length,
    createdAt: formatWandbDate(artifact.createdAt),
    updatedAt: formatWandbDate(artifact.updatedAt),
    versionIndex: () => artifact.versionIndex,
    commitHash: () => artifact.digest.slice(0, 20),
    metadata: artifact.metadata ?? '{}',
    historyStep: null,
    labels: null,
    tags: [],
    // -1: no TTL (how the SDK reads it, artifact.py _ttl_duration_seconds_from_gql).
    ttlDurationSeconds: -1,
    ttlIsInherited: true,
    aliases: () => aliasesOf(ctx, artifact),
    artifactType: () => (project ? ctx.projectViews.artifactTypeView(project, artifact.type, ctx) : null),
    artifactSequence: () => (collection ? collectionView(collection, ctx) : null),
    artifactCollections: () => paginate(collection ? [collection] : [], {}, (c) => collectionView(c, ctx)),
    artifactMemberships: () => paginate([artifact], {}, (a) => membershipView(a, ctx)),
    currentManifest: () => manifestView(ctx, artifact),
    files: (args: Args) => {
      const names = Array.isArray(args.names) ? args.names : null;
      const files = names ? artifact.files.filter((f) => names.includes(f.name)) : artifact.files;
      const page = paginate(files, { first: int(args.first), after: str(args.after) }, (f) =>
        artifactFileView(ctx, artifact, f, null),
      );
      return { ...page, uploadHeaders: [] };
    },
  };
}

export function membershipView(artifact: ArtifactRec, ctx: GqlContext) {
  const collection = ctx.store.collection(artifact.entity, artifact.project, artifact.collection);
  return {
    id: Buffer.from(`ArtifactCollectionMembership:${artifact.id}`).toString('base64'),
    versionIndex: artifact.versionIndex,
    commitHash: artifact.digest.slice(0, 20),
    createdAt: formatWandbDate(artifact.createdAt),
    aliases: () => aliasesOf(ctx, artifact),
    artifact: () => artifactView(artifact, ctx),
    artifactCollection: () => (collection ? collectionView(collection, ctx) : null),
    files: (args: Args) => artifactView(artifact, ctx).files(args),
  };
}

/** A collection; always an ArtifactSequence here (portfolios are not served). */
export function collectionView(collection: CollectionRec, ctx: GqlContext) {
  const project = ctx.store.project(collection.entity, collection.project);
  return {
    __typename: 'ArtifactSequence',
    id: collection.id,
    name: collection.name,
    description: null,
    createdAt: formatWandbDate(collection.createdAt),
    updatedAt: formatWandbDate(collection.createdAt),
    state: 'READY',
    project: () => (project ? ctx.projectViews.projectView(project, ctx) : null),
    defaultArtifactType: () =>
      project ? ctx.projectViews.artifactTypeView(project, collection.type, ctx) : null,
    latestArtifact: () => {
      const id = collection.aliases.latest;
      const artifact = id === undefined ? undefined : ctx.store.artifact(id);
      return artifact ? artifactView(artifact, ctx) : null;
    },
    artifactMembership: (args: Args) => {
      const artifact = resolveArtifactName(
        ctx,
        collection.entity,
        collection.project,
        `${collection.name}:${String(args.aliasName)}`,
      );
      return artifact ? membershipView(artifact, ctx) : null;
    },
    aliases: (args: Args) => {
      const entries = Object.entries(collection.aliases).map(([alias, id]) => ({
        id: Buffer.from(`ArtifactAlias:${id}:${alias}`).toString('base64'),
        alias,
        artifactCollectionName: collection.name,
        artifactCollection: () => collectionView(collection, ctx),
        artifact: () => {
          const a = ctx.store.artifact(id);
          return a ? artifactView(a, ctx) : null;
        },
      }));
      return paginate(entries, { first: int(args.first), after: str(args.after) }, (e) => e);
    },
  };
}
