import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../shared/errors';

/** One entry of prompts/chat/actions.json, the tool list the model sees. */
export interface ActionDescription {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** Validates a tool's arguments; returns a readable error or undefined when they are fine. */
export type ArgumentValidator = (args: unknown) => string | undefined;

/**
 * Reads the tool descriptions from `<promptFolder>/actions.json` and compiles a validator per tool, so the
 * arguments the model sends are checked against the very schema the model was given.
 */
export function loadToolSchemas(promptFolder: string): Map<string, ArgumentValidator> {
  const file = path.join(promptFolder, 'actions.json');
  const actions = JSON.parse(readFileSync(file, 'utf8')) as ActionDescription[];
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validators = new Map<string, ArgumentValidator>();
  for (const action of actions) {
    let validate: ValidateFunction;
    try {
      validate = ajv.compile(action.parameters);
    } catch (error) {
      throw new ConfigError(file, `the schema of "${action.name}" does not compile: ${String(error)}`);
    }
    validators.set(action.name, (args) =>
      validate(args) ? undefined : describeErrors(validate.errors ?? []),
    );
  }
  return validators;
}

/** One readable line per problem, naming the argument and, for enums, the allowed values. */
function describeErrors(errors: ErrorObject[]): string {
  return errors
    .map((error) => {
      const field = error.instancePath ? `arguments${error.instancePath.replace(/\//g, '.')}` : 'arguments';
      const params = error.params as { additionalProperty?: string; allowedValues?: unknown[] };
      if (error.keyword === 'additionalProperties' && params.additionalProperty) {
        return `${field} has an unknown argument "${params.additionalProperty}"`;
      }
      if (error.keyword === 'enum' && params.allowedValues) {
        return `${field} must be one of ${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`;
      }
      return `${field} ${error.message ?? 'is invalid'}`;
    })
    .join('; ');
}
