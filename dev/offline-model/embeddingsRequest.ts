import { z } from 'zod';

/** A parsed `POST /v1/embeddings` request. */
export interface EmbeddingsRequest {
  model: string;
  input: string[];
  encodingFormat: 'float' | 'base64';
  dimensions: number | undefined;
}

const body = z.object({
  model: z.string().optional(),
  input: z.union([
    z.string().min(1, "'input' must not be empty"),
    z.array(z.string().min(1, "'input' must not contain empty strings")).min(1).max(2048),
  ]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(1).max(4096).optional(),
  user: z.string().optional(),
});

/**
 * Validates an already JSON-parsed embeddings body against the OpenAI wire format (text inputs only:
 * the offline stand-in does not read token arrays).
 */
export function parseEmbeddingsRequest(
  json: unknown,
  defaultModel: string,
): { ok: true; request: EmbeddingsRequest } | { ok: false; message: string } {
  const result = body.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at '${issue.path.join('.')}'` : '';
    return { ok: false, message: `Invalid request body${where}: ${issue?.message ?? 'unknown problem'}` };
  }
  const parsed = result.data;
  return {
    ok: true,
    request: {
      model: parsed.model || defaultModel,
      input: typeof parsed.input === 'string' ? [parsed.input] : parsed.input,
      encodingFormat: parsed.encoding_format ?? 'float',
      dimensions: parsed.dimensions,
    },
  };
}
