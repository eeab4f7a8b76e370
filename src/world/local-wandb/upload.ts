import type { RunInfoRec } from './model.js';
import type { Store } from './store.js';
import type { UploadTarget } from './uploads.js';

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
  } else {
    const file = artifact.files.find((f) => f.id === target.fileId);
    if (file) {
      file.blob = blob.hex;
      file.size = blob.size;
    }
  }
  store.putArtifact(artifact);
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
