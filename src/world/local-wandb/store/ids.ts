/** Opaque storage IDs in W&B's style: base64 of `<Kind>:v1:<parts…>` (the decoded form is unconfirmed, docs/wandb-protocol.md §1.4). */
export function encodeId(kind: string, ...parts: readonly string[]): string {
  return Buffer.from([kind, 'v1', ...parts].join(':'), 'utf8').toString('base64');
}

/** The parts after `<Kind>:v1:`, or undefined when the ID is not of that kind. */
export function decodeId(kind: string, id: string): string[] | undefined {
  const text = Buffer.from(id, 'base64').toString('utf8');
  const [k, version, ...parts] = text.split(':');
  return k === kind && version === 'v1' ? parts : undefined;
}

export const runId = (entity: string, project: string, name: string): string =>
  encodeId('Run', name, project, entity);
export const projectId = (entity: string, project: string): string => encodeId('Project', project, entity);

/** Hex form of a base64 MD5 (the blob key on disk). */
export function md5Hex(base64: string): string {
  return Buffer.from(base64, 'base64').toString('hex');
}
