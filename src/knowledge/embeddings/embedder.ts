/** Turns texts into vectors with an embeddings model. */
export interface Embedder {
  /** The model (or Azure deployment) name; vectors of different models are never compared. */
  readonly model: string;
  /** For logs and the evaluation, e.g. 'OpenAI text-embedding-3-small'. */
  readonly description: string;
  /**
   * One vector per text, in the order given. `signal` aborts the HTTP request(s) (the turn's Stop).
   * @throws ModelError when the endpoint fails (after bounded retries) or answers something unusable.
   */
  embed(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
}
