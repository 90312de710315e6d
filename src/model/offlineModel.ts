import type { OfflineModelOptions, RunningOfflineModel } from '../../dev/offline-model';

export type { OfflineModelOptions, RunningOfflineModel };

/**
 * Starts the built-in offline model, the OpenAI-compatible stand-in that answers when no model key is set.
 * It lives outside the product's source (`dev/offline-model/`, a development and test tool) and is loaded
 * here, on demand, only in that no-key mode: a configured provider never loads it.
 */
export async function startOfflineModel(options: OfflineModelOptions = {}): Promise<RunningOfflineModel> {
  const offline = await import('../../dev/offline-model');
  return offline.startOfflineModel(options);
}
