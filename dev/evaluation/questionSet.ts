import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { ConfigError, StorageError } from '../../src/shared/errors';
import type { LabelledQuestion } from './retrievalMetrics';

const passageLabelSchema = z.object({
  source: z.string().min(1),
  heading: z.string(),
});

const labelledQuestionSchema = z.object({
  question: z.string().trim().min(1),
  relevant: z.array(passageLabelSchema).min(1),
});

/** The file is either a bare array of questions or `{ description?, questions: [...] }`. */
const questionSetSchema = z.union([
  z.array(labelledQuestionSchema).min(1),
  z.object({ description: z.string().optional(), questions: z.array(labelledQuestionSchema).min(1) }),
]);

/**
 * Validates a parsed question set (see eval/retrieval-questions.json for the format).
 * @param origin names the set in error messages, e.g. its file path.
 * @throws ConfigError when the data is not a non-empty list of questions, each with at least one label.
 */
export function parseQuestionSet(data: unknown, origin: string): LabelledQuestion[] {
  const parsed = questionSetSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new ConfigError(origin, `not a valid retrieval question set: ${issues}`);
  }
  const questions = Array.isArray(parsed.data) ? parsed.data : parsed.data.questions;
  return questions.map((item) => ({
    question: item.question,
    relevant: item.relevant.map((label) => ({ source: label.source, heading: label.heading })),
  }));
}

/**
 * Reads and validates a question set from a JSON file.
 * @throws StorageError when the file cannot be read; ConfigError when it is not valid JSON or not a valid set.
 */
export async function loadQuestionSet(file: string): Promise<LabelledQuestion[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new StorageError(`cannot read the retrieval question set ${file}`, false, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, `not valid JSON: ${(error as Error).message}`);
  }
  return parseQuestionSet(data, file);
}
