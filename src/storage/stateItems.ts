import type { StoreItem } from 'botbuilder';
import { StorageError } from '../shared/errors';

// How every Storage backend turns a botbuilder store item into stored JSON and back, so they agree exactly.

/** The JSON to store (without the eTag) and the etag the write is conditional on, if any. */
export function serialiseStoreItem(
  key: string,
  item: unknown,
): { json: string; expectedEtag: string | undefined } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new StorageError(`cannot write "${key}": a store item must be an object`);
  }
  const { eTag, ...value } = item as StoreItem;
  const expectedEtag = typeof eTag === 'string' && eTag !== '' && eTag !== '*' ? eTag : undefined;
  try {
    return { json: JSON.stringify(value), expectedEtag };
  } catch (error) {
    throw new StorageError(`cannot write "${key}": the value is not JSON-serialisable`, false, {
      cause: error,
    });
  }
}

/** The stored JSON of `key` as an object. */
export function parseStateValue(key: string, json: string): Record<string, unknown> {
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch (error) {
    throw new StorageError(`stored bot state for "${key}" is not valid JSON`, false, { cause: error });
  }
}
