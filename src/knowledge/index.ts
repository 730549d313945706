// The knowledge block of an agent: read documents, cut them into chunks, index and search them.
export { chunkBlocks, HEADING_SEPARATOR, type Chunk, type ChunkOptions } from './chunk.ts';
export { formatOfPath, type Block, type KnowledgeFormat } from './document.ts';
export {
  ingestKnowledge,
  refreshUrlSource,
  type IngestOptions,
  type IngestProgress,
  type IngestReport,
  type IngestStatus,
  type KnowledgeSpec,
} from './ingest.ts';
export { parseMarkdown } from './markdown.ts';
export { readDocument, type SourceBytes } from './read.ts';
export { searchKnowledge, type KnowledgeHit, type SearchOptions } from './search.ts';
export { resolveSources, type KnowledgeSource, type OfflineCopy, type ResolvedSources, type SourceRef } from './sources.ts';
export { contentTerms, ftsQuery, isStopWord } from './terms.ts';
export { parsePlainText } from './text.ts';
export { fetchSource, formatOfResponse, isUrlSource, type FetchSourceOptions } from './url.ts';
export { readCallerQuery, type CallerQuery, type QuerySlot } from './caller-query.ts';
export { ASKING_STATEMENTS, askingStatementsOf } from './asking-statements.ts';
export { knowledgeIndexOf } from './index-cache.ts';
export { KnowledgeIndex, type IndexedChunk, type RankedChunk } from './knowledge-index.ts';
export { agentIndex, coverageOf, fuse, retrieve, type Retrieval, type RetrieveOptions } from './retrieve.ts';
export { CONCEPTS, phraseRegExp, vocabulary, type Vocabulary } from './vocabulary.ts';
export { stemOf, withinOneEdit, wordsOf } from './words.ts';
export { decodeVector, embedChunks, encodeVector, textHash, unitLength, type EmbedReport, type Embedder } from './embeddings.ts';
