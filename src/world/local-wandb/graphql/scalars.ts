import { GraphQLScalarType, type GraphQLSchema, Kind, type ValueNode } from 'graphql';
import { InternalError } from '../../../product/shared/errors.js';

// W&B's custom scalars refuse what their wire form does not allow, as a graphql-js custom scalar with
// parseValue/parseLiteral does: a bad variable answers 400 `Variable "$x" got invalid value …`, a bad
// literal fails validation. `buildSchema` alone would take any JSON value for them.
// Wire forms: JSONString is a string whose content is JSON (@wandb/sdk 0.5.1 sends
// `config: JSON.stringify(config)`, wandb/wandb-js src/sdk/interface/messenger.ts; the Python public API
// `filters: json.dumps(...)`, wandb/wandb wandb/apis/public/runs.py); Duration is integer milliseconds
// (wandb/wandb wandb/sdk/wandb_run.py alert: `int(wait_duration.total_seconds() * 1000)`).

type ScalarParsers = Pick<GraphQLScalarType, 'parseValue' | 'parseLiteral'>;

const describe = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

const jsonString: ScalarParsers = {
  parseValue(value: unknown) {
    if (typeof value !== 'string') {
      throw new TypeError(`JSONString cannot represent a non-string value: ${describe(value)}`);
    }
    return value;
  },
  parseLiteral(node: ValueNode) {
    if (node.kind !== Kind.STRING) throw new TypeError('JSONString cannot represent a non-string value');
    return node.value;
  },
};

const duration: ScalarParsers = {
  parseValue(value: unknown) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new TypeError(`Duration cannot represent a non-integer value: ${describe(value)}`);
    }
    return value;
  },
  parseLiteral(node: ValueNode) {
    const value = node.kind === Kind.INT ? Number(node.value) : Number.NaN;
    if (!Number.isSafeInteger(value)) throw new TypeError('Duration cannot represent a non-integer value');
    return value;
  },
};

const PARSERS: Readonly<Record<string, ScalarParsers>> = { JSONString: jsonString, Duration: duration };

/** Gives the SDL's bare `scalar` declarations W&B's input rules; returns the same schema. */
export function installScalarParsers(schema: GraphQLSchema): GraphQLSchema {
  for (const [name, parsers] of Object.entries(PARSERS)) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLScalarType)) throw new InternalError(`the SDL declares no scalar ${name}`);
    Object.assign(type, parsers);
  }
  return schema;
}
