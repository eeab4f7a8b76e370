import {
  buildSchema,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  type GraphQLSchema,
  GraphQLString,
} from 'graphql';
import { InternalError } from '../../../product/shared/errors.js';
import { PatternLine } from '../files/events-pattern.js';
import { installScalarParsers } from './scalars.js';
import { ARTIFACT_SDL } from './sdl-artifacts.js';
import { READ_SDL } from './sdl-read.js';
import { VIEWS_SDL } from './sdl-views.js';
import { WRITE_SDL } from './sdl-write.js';

/** W&B's schema for the served subset; built once per server so validation matches api.wandb.ai. */
export function buildWandbSchema(): GraphQLSchema {
  const schema = installScalarParsers(
    buildSchema(`${READ_SDL}\n${ARTIFACT_SDL}\n${WRITE_SDL}\n${VIEWS_SDL}`),
  );
  return passPatternLines(schema);
}

/**
 * `Run.events` stays `[String!]!` on the wire and in introspection, but its items may be PatternLines,
 * left for the serializer to write (see PatternLine): the field's item type is this schema's own copy of
 * String that passes them through. graphql-js's String itself is shared by every schema, so it is not touched.
 */
function passPatternLines(schema: GraphQLSchema): GraphQLSchema {
  const run = schema.getType('Run');
  const events = run instanceof GraphQLObjectType ? run.getFields().events : undefined;
  if (!events) throw new InternalError('the SDL declares no Run.events');
  const lineString = new GraphQLScalarType({
    ...GraphQLString.toConfig(),
    serialize: (value) => (value instanceof PatternLine ? value : GraphQLString.serialize(value)),
  });
  events.type = new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(lineString)));
  return schema;
}
