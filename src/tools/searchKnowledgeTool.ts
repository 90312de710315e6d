import type { KnowledgeBase } from '../knowledge';
import type { Tool, ToolContext, ToolResult } from './toolDefinition';

const RESULT_LIMIT = 5;

/**
 * `search_knowledge(query)`: search over the knowledge base (lexical, or hybrid with embeddings); every
 * hit becomes a citable source.
 */
export function searchKnowledgeTool(knowledge: KnowledgeBase): Tool {
  return {
    name: 'search_knowledge',
    async run(args: Record<string, unknown>, context: ToolContext): Promise<ToolResult> {
      const query = String(args.query);
      const hits = await knowledge.search(query, RESULT_LIMIT, { signal: context.signal });
      const results = hits.map((hit) => {
        const title = hit.heading ? `${hit.title}: ${hit.heading}` : hit.title;
        const ref = context.addSource({
          key: hit.id,
          title,
          text: hit.snippet || hit.text,
          location: hit.source,
        });
        return { ref, title: hit.title, heading: hit.heading, source: hit.source, text: hit.text };
      });
      return {
        ok: true,
        results,
        ...(results.length > 0
          ? { instructions: 'Answer from these passages only and cite each fact with its [ref] marker.' }
          : {}),
      };
    },
  };
}
