// Offline Dockerfile lint: dockerfile-utils' validator (syntax and semantics, as in VS Code's Docker extension) plus
// this project's rules for the two images: multi-stage, the pinned Node 24 base, no secrets, no config, USER node.
// Pure: text in, findings out.
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

export type Finding = { readonly line: number; readonly rule: string; readonly message: string };

/** The images run on Node 24 LTS; the exact release is pinned in the repository's .node-version. */
export const NODE_MAJOR = 24;
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|WEBHOOK|CREDENTIAL/i;
const CONFIG_ENV = 'GPU_DASHBOARD_CONFIG';
const CONFIG_FILE = /\.ya?ml$/i;

/** The official image's tag for an exact Node release: `node:24.22.3-bookworm-slim`. */
export const baseImageFor = (nodeVersion: string): string => `node:${nodeVersion}-bookworm-slim`;

export type LintOptions = {
  /** What the image runs by default: `gpu-dashboard <subcommand>`. */
  readonly subcommand: string;
  /** The pinned Node release, X.Y.Z (the content of .node-version). */
  readonly nodeVersion: string;
};

type Stage = { readonly name: string | null; readonly instructions: Instruction[] };

function stagesOf(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const name = /\sAS\s+(\S+)\s*$/i.exec(instruction.getArgumentsContent() ?? '')?.[1] ?? null;
      stages.push({ name, instructions: [instruction] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

const lineOf = (i: Instruction): number => i.getRange().start.line + 1;
const args = (i: Instruction): string => (i.getArgumentsContent() ?? '').replace(/\\\n/g, ' ');
const fromFlag = (i: Instruction): string | undefined =>
  'getFlags' in i && typeof i.getFlags === 'function'
    ? ((i.getFlags() as { getName(): string; getValue(): string | null }[])
        .find((f) => f.getName() === 'from')
        ?.getValue() ?? undefined)
    : undefined;

function execForm(i: Instruction | undefined): string[] | undefined {
  if (!i) return undefined;
  try {
    const parsed: unknown = JSON.parse(args(i));
    return Array.isArray(parsed) && parsed.every((x) => typeof x === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Findings for one Dockerfile whose image must run `gpu-dashboard <subcommand>` by default. */
export function lintDockerfile(text: string, { subcommand, nodeVersion }: LintOptions): Finding[] {
  const findings: Finding[] = [];
  const add = (line: number, rule: string, message: string) => findings.push({ line, rule, message });

  for (const d of validate(text)) {
    const message = typeof d.message === 'string' ? d.message : d.message.value;
    add(d.range.start.line + 1, `dockerfile-utils/${d.code ?? 'diagnostic'}`, message);
  }

  // A floating tag (node:24-slim, node:lts, latest) moves under a rebuild; the release CI tests on does not.
  const baseImage = baseImageFor(nodeVersion);
  if (!new RegExp(`^${NODE_MAJOR}\\.\\d+\\.\\d+$`).test(nodeVersion)) {
    add(1, 'base-image', `the pinned Node release must be an exact ${NODE_MAJOR}.x.y, not '${nodeVersion}'`);
  }
  const stages = stagesOf(text);
  if (stages.length < 2) add(1, 'multi-stage', 'expected a build stage and a runtime stage');
  const names = new Set<string>();
  for (const stage of stages) {
    const from = stage.instructions[0] as Instruction;
    const image = args(from)
      .split(/\s+/)
      .find((word) => !word.startsWith('--'));
    if (image !== baseImage)
      add(lineOf(from), 'base-image', `every stage starts FROM ${baseImage}, not ${image ?? 'nothing'}`);
    for (const i of stage.instructions) {
      const keyword = i.getKeyword();
      if (keyword === 'ENV' || keyword === 'ARG') {
        for (const match of args(i).match(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)(?==|\s|$)/g) ?? []) {
          const name = match.trim();
          if (SECRET_NAME.test(name)) add(lineOf(i), 'no-secrets', `${keyword} ${name} looks like a secret`);
          if (keyword === 'ENV' && name === CONFIG_ENV)
            add(lineOf(i), 'no-baked-config', `ENV ${CONFIG_ENV}: the task's environment names the config`);
        }
      }
      const source = fromFlag(i);
      if (keyword === 'COPY' && source !== undefined && !names.has(source)) {
        add(lineOf(i), 'copy-from', `COPY --from=${source} names no earlier stage`);
      }
    }
    if (stage.name) names.add(stage.name);
  }
  const all = stages.flatMap((s) => s.instructions);
  const runs = all.filter((i) => i.getKeyword() === 'RUN').map(args);
  if (
    !runs.some((r) => /\bnpm ci\b/.test(r) && !r.includes('--omit=dev')) ||
    !runs.some((r) => /npm run build|tsc\b/.test(r))
  ) {
    add(1, 'build-stage', 'a build stage runs `npm ci` and the TypeScript build');
  }
  if (!runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r) && r.includes('--ignore-scripts'))) {
    add(1, 'production-deps', 'a stage installs production deps with `npm ci --omit=dev --ignore-scripts`');
  }

  const final = stages.at(-1);
  if (!final) return findings;
  const finalFrom = final.instructions[0] as Instruction;
  const users = final.instructions.filter((i) => i.getKeyword() === 'USER');
  const lastUser = users.at(-1);
  if (!lastUser || args(lastUser).trim() !== 'node') {
    add(lastUser ? lineOf(lastUser) : lineOf(finalFrom), 'user-node', 'the runtime stage ends as USER node');
  }
  for (const i of final.instructions.filter((x) => x.getKeyword() === 'COPY' || x.getKeyword() === 'ADD')) {
    const sources = args(i)
      .trim()
      .split(/\s+/)
      .filter((word) => !word.startsWith('--'))
      .slice(0, -1);
    if (i.getKeyword() === 'ADD') add(lineOf(i), 'no-add', 'use COPY, not ADD');
    if (fromFlag(i) === undefined && sources.some((s) => s !== 'package.json')) {
      add(
        lineOf(i),
        'runtime-copies',
        `the runtime stage copies only package.json from the context, not ${sources.join(' ')}`,
      );
    }
    // The image serves every programme; its config comes from GPU_DASHBOARD_CONFIG (a file or s3://bucket/key).
    for (const source of sources.filter((s) => CONFIG_FILE.test(s))) {
      add(lineOf(i), 'no-baked-config', `the runtime stage carries no programme config, not ${source}`);
    }
  }
  const copied = final.instructions
    .filter((i) => i.getKeyword() === 'COPY')
    .map(args)
    .join('\n');
  for (const needed of ['/app/dist', '/app/node_modules', 'package.json']) {
    if (!copied.includes(needed))
      add(lineOf(finalFrom), 'runtime-content', `the runtime stage copies ${needed}`);
  }
  const entrypoint = final.instructions.filter((i) => i.getKeyword() === 'ENTRYPOINT').at(-1);
  const cmd = final.instructions.filter((i) => i.getKeyword() === 'CMD').at(-1);
  if (JSON.stringify(execForm(entrypoint)) !== JSON.stringify(['gpu-dashboard'])) {
    add(
      entrypoint ? lineOf(entrypoint) : lineOf(finalFrom),
      'entrypoint',
      'ENTRYPOINT ["gpu-dashboard"] in exec form',
    );
  }
  if (JSON.stringify(execForm(cmd)) !== JSON.stringify([subcommand])) {
    add(cmd ? lineOf(cmd) : lineOf(finalFrom), 'command', `CMD ["${subcommand}"] in exec form`);
  }
  return findings.sort((a, b) => a.line - b.line);
}
