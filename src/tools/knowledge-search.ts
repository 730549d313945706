import { z } from 'zod';
import type { ToolContext } from './context.ts';
import type { ToolSpec } from './traced.ts';

const SEARCH_INPUT = z.object({ query: z.string().min(2).max(300).describe('What to look for, in a few keywords.') });

/** search_knowledge: lets the model look further in the documents than the chunks given with the turn. */
export function searchKnowledgeTool(ctx: ToolContext): ToolSpec<{ query: string }> {
  return {
    name: 'search_knowledge',
    description: "Search the business's documents. Use it when the documents given with the caller's message do not answer the question.",
    inputSchema: SEARCH_INPUT,
    run: async ({ query }, signal) => {
      const hits = await ctx.searchKnowledge(query, ctx.agent.config.knowledge.topK, signal);
      const documents = hits.map((h) => ({ source: h.source, heading: h.heading, text: h.text }));
      return {
        request: { query },
        response: { hits: hits.map((h) => ({ chunkId: h.chunkId, source: h.source, heading: h.heading, score: Number(h.score.toFixed(3)) })) },
        result: documents.length ? { documents } : { documents: [], note: 'Nothing in the documents matches. Do not answer from memory.' },
      };
    },
  };
}
