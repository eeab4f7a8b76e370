import type { App, IStackSynthesizer } from 'aws-cdk-lib';
import { GpuDashboardStack } from './gpu-dashboard-stack.js';
import { RepositoriesStack } from './repositories-stack.js';
import type { DeploymentSettings } from './settings-schema.js';

export type GpuDashboardStacks = {
  readonly repositories: RepositoriesStack;
  readonly tasks: GpuDashboardStack;
};

/** Suffix of the stack deployed first; the tasks stack takes `stackName` itself. */
export const REPOSITORIES_STACK_SUFFIX = '-Repositories';

/**
 * Both stacks, in deployment order (docs/deployment.md): `<stackName>-Repositories` (image repositories and the
 * config bucket; needs no image tag), then, once the images are pushed, `<stackName>` (the tasks).
 */
export function addGpuDashboardStacks(
  app: App,
  settings: DeploymentSettings,
  synthesizer?: () => IStackSynthesizer,
): GpuDashboardStacks {
  const { stackName, account, region, ...rest } = settings;
  const common = {
    env: account === null ? { region } : { account, region },
    ...(synthesizer ? { synthesizer: synthesizer() } : {}),
  };
  const repositories = new RepositoriesStack(app, `${stackName}${REPOSITORIES_STACK_SUFFIX}`, {
    ...common,
    description: 'gpu-dashboard: image repositories and the config bucket (kept when deleted)',
    settings: rest,
  });
  const tasks = new GpuDashboardStack(app, stackName, {
    ...common,
    ...(synthesizer ? { synthesizer: synthesizer() } : {}),
    description: 'gpu-dashboard: nightly W&B GPU-usage ETL and morning health check on ECS Fargate',
    settings: rest,
    config: repositories.config,
  });
  return { repositories, tasks };
}
