import { buildSchema, type GraphQLSchema } from 'graphql';
import { installScalarParsers } from './scalars.js';
import { ARTIFACT_SDL } from './schema-sdl-artifacts.js';
import { READ_SDL } from './schema-sdl-read.js';
import { VIEWS_SDL } from './schema-sdl-views.js';
import { WRITE_SDL } from './schema-sdl-write.js';

/** W&B's schema for the served subset; built once per server so validation matches api.wandb.ai. */
export function buildWandbSchema(): GraphQLSchema {
  return installScalarParsers(buildSchema(`${READ_SDL}\n${ARTIFACT_SDL}\n${WRITE_SDL}\n${VIEWS_SDL}`));
}
