import { md5Hex } from '../store/ids.js';
import type { ArtifactRec, RunInfoRec } from '../store/model.js';
import type { Store } from '../store/store.js';
import type { UploadTarget } from './upload-targets.js';

/** Stores the bytes of a signed-URL PUT and attaches them to the run file, artifact file or manifest. */
export async function applyUpload(store: Store, target: UploadTarget, bytes: Buffer): Promise<void> {
  const blob = await store.putBlob(bytes);
  if (target.kind === 'run-file') {
    const run = store.run(target.entity, target.project, target.run);
    if (!run) return;
    run.files[target.name] = {
      name: target.name,
      md5: blob.md5,
      size: blob.size,
      blob: blob.hex,
      updatedAt: store.now(),
    };
    // W&B fills runInfo (and host) from the wandb-metadata.json the SDK uploads.
    if (target.name === 'wandb-metadata.json') {
      const info = runInfoFromMetadata(bytes);
      if (info) {
        run.runInfo = info.runInfo;
        run.host = run.host ?? info.host;
      }
    }
    store.touchRun(run);
    return;
  }
  const artifact = store.artifact(target.artifactId);
  if (!artifact) return;
  if (target.kind === 'manifest') {
    if (artifact.manifest) artifact.manifest.blob = blob.hex;
    await addReusedEntries(store, artifact, bytes);
  } else {
    const file = artifact.files.find((f) => f.id === target.fileId);
    if (file) {
      file.blob = blob.hex;
      file.size = blob.size;
    }
  }
  store.putArtifact(artifact);
}

/**
 * The manifest's entries that were never created through createArtifactFiles: files a FULL manifest
 * copies from an earlier version (digest, size, birthArtifactID) without sending them again, as W&B's
 * `Artifact.new_draft()` does (docs/wandb-protocol.md §17). W&B stores files by content, so such an
 * entry is the stored blob of its digest; one whose content was never stored has no bytes to serve.
 */
async function addReusedEntries(store: Store, artifact: ArtifactRec, bytes: Buffer): Promise<void> {
  const contents = manifestContents(bytes);
  for (const [name, entry] of Object.entries(contents)) {
    if (artifact.files.some((f) => f.name === name)) continue;
    const hex = md5Hex(entry.digest);
    artifact.files.push({
      id: store.newId('File'),
      name,
      md5: entry.digest,
      blob: (await store.hasBlob(hex)) ? hex : null,
      size: entry.size,
    });
  }
}

/** `contents` of a manifest's JSON: path → digest and size; entries of another shape are left out. */
function manifestContents(bytes: Buffer): Record<string, { digest: string; size: number | null }> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(bytes.toString('utf8'));
  } catch {
    return {};
  }
  const contents = (manifest as { contents?: unknown } | null)?.contents;
  if (typeof contents !== 'object' || contents === null) return {};
  const out: Record<string, { digest: string; size: number | null }> = {};
  for (const [name, value] of Object.entries(contents as Record<string, unknown>)) {
    const { digest, size } = (value ?? {}) as { digest?: unknown; size?: unknown };
    if (typeof digest === 'string') out[name] = { digest, size: typeof size === 'number' ? size : null };
  }
  return out;
}

function runInfoFromMetadata(bytes: Buffer): { runInfo: RunInfoRec; host: string | null } | undefined {
  let meta: unknown;
  try {
    meta = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof meta !== 'object' || meta === null) return undefined;
  const m = meta as Record<string, unknown>;
  const num = (v: unknown) =>
    typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null;
  return {
    runInfo: {
      gpu: typeof m.gpu === 'string' ? m.gpu : null,
      gpuCount: num(m.gpu_count),
      cpuCount: num(m.cpu_count),
    },
    host: typeof m.host === 'string' ? m.host : null,
  };
}
