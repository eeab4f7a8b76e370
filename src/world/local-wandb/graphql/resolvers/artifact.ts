import { md5Hex } from '../../store/ids.js';
import type { ArtifactRec, CollectionRec } from '../../store/model.js';
import { type Args, type GqlContext, str } from '../context.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { artifactFileView, artifactView, manifestView, versionsOf } from '../views/artifact.js';
import { artifactTypeView } from '../views/project.js';
import { runView } from '../views/run.js';

/** Commits a pending version: next versionIndex, then its aliases (always `latest`) move onto it. */
export function commit(ctx: GqlContext, artifact: ArtifactRec): void {
  if (artifact.state === 'COMMITTED') return;
  const collection = ctx.store.collection(artifact.entity, artifact.project, artifact.collection);
  if (!collection) throw new NotFoundError('artifact collection not found');
  const versions = versionsOf(ctx, collection);
  artifact.versionIndex =
    versions.length === 0 ? 0 : Math.max(...versions.map((v) => v.versionIndex ?? 0)) + 1;
  artifact.state = 'COMMITTED';
  artifact.updatedAt = ctx.store.now();
  for (const alias of new Set([...artifact.requestedAliases, 'latest']))
    collection.aliases[alias] = artifact.id;
  ctx.store.putCollection(collection);
  ctx.store.putArtifact(artifact);
}

export function ensureCollection(
  ctx: GqlContext,
  entity: string,
  project: string,
  name: string,
  type: string,
) {
  const existing = ctx.store.collection(entity, project, name);
  if (existing) return existing;
  const collection: CollectionRec = {
    id: ctx.store.newId('ArtifactSequence'),
    entity,
    project,
    name,
    type,
    createdAt: ctx.store.now(),
    aliases: {},
  };
  ctx.store.putCollection(collection);
  return collection;
}

/** Artifact writes in the order clients send them (docs/wandb-protocol.md §11). */
export function artifactMutations(ctx: GqlContext) {
  const { store } = ctx;
  const requireArtifact = (id: unknown): ArtifactRec => {
    const artifact = store.artifact(String(id));
    if (!artifact) throw new NotFoundError('artifact not found');
    return artifact;
  };
  return {
    createArtifact: ({ input }: { input: Args }) => {
      const entity = String(input.entityName);
      const project = String(input.projectName);
      if (!store.project(entity, project)) throw new NotFoundError('project not found');
      const names = Array.isArray(input.artifactCollectionNames)
        ? input.artifactCollectionNames.map(String)
        : [];
      const name = str(input.artifactCollectionName) ?? names[0];
      if (!name) throw new BadRequestError('artifactCollectionName is required');
      const collection = ensureCollection(ctx, entity, project, name, String(input.artifactTypeName));
      const aliases = (Array.isArray(input.aliases) ? input.aliases : [])
        .filter((a): a is Args => typeof a === 'object' && a !== null)
        .filter((a) => a.artifactCollectionName === name)
        .map((a) => String(a.alias));
      const digest = String(input.digest);
      const twin = versionsOf(ctx, collection).find((a) => a.digest === digest);
      if (twin && input.enableDigestDeduplication !== false) {
        // Same content again: the existing version answers COMMITTED and takes the new aliases.
        for (const alias of new Set([...aliases, 'latest'])) collection.aliases[alias] = twin.id;
        store.putCollection(collection);
        return { artifact: artifactView(twin, ctx) };
      }
      const now = store.now();
      const artifact: ArtifactRec = {
        id: store.newId('Artifact'),
        entity,
        project,
        collection: name,
        type: String(input.artifactTypeName),
        digest,
        state: 'PENDING',
        versionIndex: null,
        requestedAliases: aliases,
        createdAt: now,
        updatedAt: now,
        description: str(input.description),
        metadata: str(input.metadata),
        runName: str(input.runName),
        manifest: null,
        files: [],
      };
      store.putArtifact(artifact);
      return { artifact: artifactView(artifact, ctx) };
    },
    createArtifactManifest: ({ input }: { input: Args }) => {
      const artifact = requireArtifact(input.artifactID);
      artifact.manifest = {
        id: artifact.manifest?.id ?? store.newId('ArtifactManifest'),
        digest: String(input.digest),
        blob: artifact.manifest?.blob ?? null,
      };
      store.putArtifact(artifact);
      const url = ctx.uploads.url(ctx.baseUrl, { kind: 'manifest', artifactId: artifact.id });
      return { artifactManifest: manifestView(ctx, artifact, url) };
    },
    updateArtifactManifest: ({ input }: { input: Args }) => {
      const artifact = store.artifacts().find((a) => a.manifest?.id === String(input.artifactManifestID));
      if (!artifact?.manifest) throw new NotFoundError('artifact manifest not found');
      const digest = str(input.digest);
      if (digest !== null) artifact.manifest.digest = digest;
      store.putArtifact(artifact);
      const url = ctx.uploads.url(ctx.baseUrl, { kind: 'manifest', artifactId: artifact.id });
      return { artifactManifest: manifestView(ctx, artifact, url) };
    },
    createArtifactFiles: async ({ input }: { input: Args }) => {
      const specs = (Array.isArray(input.artifactFiles) ? input.artifactFiles : []) as Args[];
      const nodes: ReturnType<typeof artifactFileView>[] = [];
      // One node per requested file, in request order: the Go client depends on it (docs/wandb-protocol.md §11 step 3).
      for (const spec of specs) {
        const artifact = requireArtifact(spec.artifactID);
        const md5 = String(spec.md5);
        const hex = md5Hex(md5);
        const isStored = await store.hasBlob(hex);
        let file = artifact.files.find((f) => f.name === String(spec.name));
        if (!file) {
          file = { id: store.newId('File'), name: String(spec.name), md5, blob: null, size: null };
          artifact.files.push(file);
        }
        file.md5 = md5;
        file.blob = isStored ? hex : null;
        const uploadUrl = isStored
          ? null
          : ctx.uploads.url(ctx.baseUrl, { kind: 'artifact-file', artifactId: artifact.id, fileId: file.id });
        store.putArtifact(artifact);
        nodes.push(artifactFileView(ctx, artifact, file, uploadUrl));
      }
      return {
        files: () => ({
          edges: nodes.map((node) => ({ cursor: node.id, node })),
          pageInfo: pageInfo(),
          uploadHeaders: [],
        }),
      };
    },
    commitArtifact: ({ input }: { input: Args }) => {
      const artifact = requireArtifact(input.artifactID);
      commit(ctx, artifact);
      return { artifact: artifactView(artifact, ctx) };
    },
    useArtifact: ({ input }: { input: Args }) => {
      const artifact = requireArtifact(input.artifactID);
      if (artifact.state !== 'COMMITTED') {
        throw new BadRequestError(`cannot use artifact ${artifact.collection} as it has not committed`);
      }
      const run = store.run(String(input.entityName), String(input.projectName), String(input.runName));
      if (!run) throw new NotFoundError('run not found');
      return { artifact: artifactView(artifact, ctx), run: runView(run, ctx) };
    },
    createArtifactType: ({ input }: { input: Args }) => {
      const project = store.project(String(input.entityName), String(input.projectName));
      if (!project) throw new NotFoundError('project not found');
      return { artifactType: artifactTypeView(project, String(input.name), ctx) };
    },
  };
}

const pageInfo = () => ({ startCursor: null, endCursor: null, hasNextPage: false, hasPreviousPage: false });
