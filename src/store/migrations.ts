import { sql, type Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

/** Dialect-specific bits of the schema (full-text search differs between SQLite and Postgres). */
export type StoreKind = 'sqlite' | 'postgres';

const initial = (kind: StoreKind): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('conversations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('agent_version', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull().defaultTo('inbound'))
      .addColumn('caller', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text')
      .addColumn('end_reason', 'text')
      .execute();
    await db.schema.createIndex('conversations_agent_started').on('conversations').columns(['agent', 'started_at']).execute();

    const serial = kind === 'sqlite' ? 'integer' : 'serial';
    const real = kind === 'sqlite' ? 'real' : 'double precision'; // Postgres' real is only 4 bytes
    await db.schema
      .createTable('turns')
      .addColumn('id', serial, (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('heard_text', 'text')
      .addColumn('interrupted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('grounding', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text')
      .addColumn('latency', 'text')
      .addUniqueConstraint('turns_conversation_seq', ['conversation_id', 'seq'])
      .execute();

    await db.schema
      .createTable('tool_calls')
      // Tool-call ids come from the model provider and are unique only within one conversation.
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
      .addColumn('turn_seq', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('input', 'text', (c) => c.notNull())
      .addColumn('request', 'text')
      .addColumn('response', 'text')
      .addColumn('result', 'text')
      .addColumn('error', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('duration_ms', 'integer')
      .addPrimaryKeyConstraint('tool_calls_pk', ['conversation_id', 'id'])
      .execute();
    await db.schema.createIndex('tool_calls_conversation').on('tool_calls').column('conversation_id').execute();

    await db.schema
      .createTable('knowledge_hits')
      .addColumn('id', serial, (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
      .addColumn('turn_seq', 'integer', (c) => c.notNull())
      .addColumn('chunk_id', 'integer', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('heading', 'text', (c) => c.notNull())
      .addColumn('score', real, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('knowledge_hits_conversation').on('knowledge_hits').column('conversation_id').execute();

    await db.schema
      .createTable('leads')
      .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('fields', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('events')
      .addColumn('id', serial, (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('events_conversation').on('events').column('conversation_id').execute();

    await db.schema
      .createTable('knowledge_sources')
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('chunks', 'integer', (c) => c.notNull())
      .addColumn('ingested_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('knowledge_sources_pk', ['agent', 'source'])
      .execute();

    await db.schema
      .createTable('knowledge_chunks')
      .addColumn('id', serial, (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('heading', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('knowledge_chunks_agent_source').on('knowledge_chunks').columns(['agent', 'source']).execute();

    if (kind === 'sqlite') {
      // External-content FTS5 index kept in step with knowledge_chunks by triggers.
      await sql`CREATE VIRTUAL TABLE knowledge_fts USING fts5(heading, text, content='knowledge_chunks', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')`.execute(db);
      await sql`CREATE TRIGGER knowledge_chunks_ai AFTER INSERT ON knowledge_chunks BEGIN
        INSERT INTO knowledge_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text); END`.execute(db);
      await sql`CREATE TRIGGER knowledge_chunks_ad AFTER DELETE ON knowledge_chunks BEGIN
        INSERT INTO knowledge_fts(knowledge_fts, rowid, heading, text) VALUES ('delete', old.id, old.heading, old.text); END`.execute(db);
    } else {
      await sql`ALTER TABLE knowledge_chunks ADD COLUMN tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', heading), 'A') || to_tsvector('english', text)) STORED`.execute(db);
      await sql`CREATE INDEX knowledge_chunks_tsv ON knowledge_chunks USING gin(tsv)`.execute(db);
    }
  },
  async down() {
    throw new Error('Parley migrations are forward-only');
  },
});

// Bookings made by the built-in calendar. The unique (agent, start) index is what stops two
// conversations racing for one slot from both winning; it covers live bookings only, so a
// cancelled one frees its slot. (agent, idempotency_key) makes a retried book_call return the
// booking it already made. Text columns and a partial index work on SQLite and Postgres alike.
const bookings = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('bookings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text')
      .addColumn('start', 'text', (c) => c.notNull())
      .addColumn('end', 'text', (c) => c.notNull())
      .addColumn('attendee', 'text', (c) => c.notNull())
      .addColumn('notes', 'text')
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('bookings_agent_idempotency_key', ['agent', 'idempotency_key'])
      .execute();
    await db.schema.createIndex('bookings_agent_start').on('bookings').columns(['agent', 'start']).unique().where(sql.ref('status'), '<>', sql.lit('cancelled')).execute();
  },
  async down() {
    throw new Error('Parley migrations are forward-only');
  },
});

// What a conversation consumed and cost, written as it accrues and when it ends: the daily budget sums cost_usd and
// duration_sec over one agent's conversations of the day (index on agent, started_at exists).
const usage = (kind: StoreKind): Migration => ({
  async up(db: Kysely<any>) {
    const real = kind === 'sqlite' ? 'real' : 'double precision';
    await db.schema.alterTable('conversations').addColumn('duration_sec', real).execute();
    await db.schema.alterTable('conversations').addColumn('cost_usd', real).execute();
    await db.schema.alterTable('conversations').addColumn('usage', 'text').execute();
  },
  async down() {
    throw new Error('Parley migrations are forward-only');
  },
});

// (Superseded by 0005, which drops this index.) Knowledge search on Postgres read the GIN index
// on every caller turn and wrote it only when documents were ingested; without fastupdate new rows go straight into the index instead of a
// pending list every search would scan (8× slower right after an ingest in bench/knowledge).
const knowledgeIndex = (kind: StoreKind): Migration => ({
  async up(db: Kysely<any>) {
    if (kind !== 'postgres') return;
    await sql`ALTER INDEX knowledge_chunks_tsv SET (fastupdate = off)`.execute(db);
    await sql`SELECT gin_clean_pending_list('knowledge_chunks_tsv'::regclass)`.execute(db);
  },
  async down() {
    throw new Error('Parley migrations are forward-only');
  },
});

// Knowledge search on Postgres, second form: a postings table (agent, lexeme → chunk, weighted
// term frequency, chunk length) filled from each chunk's tsvector by a trigger, read by one
// index-only range scan per query term. BM25 is then computed in SQL exactly as FTS5 does it,
// instead of ts_rank on every match (which meant a heap visit and a tsvector decompression per
// match and term: 9 ms median, 46 ms p99 on bench/knowledge). The GIN index is no longer read.
const knowledgePostings = (kind: StoreKind): Migration => ({
  async up(db: Kysely<any>) {
    if (kind !== 'postgres') return;
    await sql`CREATE TABLE knowledge_postings (
      agent text NOT NULL,
      lexeme text NOT NULL,
      chunk_id integer NOT NULL REFERENCES knowledge_chunks(id) ON DELETE CASCADE,
      tf real NOT NULL,
      len integer NOT NULL)`.execute(db);
    await sql`CREATE INDEX knowledge_postings_lookup ON knowledge_postings (agent, lexeme) INCLUDE (chunk_id, tf, len)`.execute(db);
    await sql`CREATE INDEX knowledge_postings_chunk ON knowledge_postings (chunk_id)`.execute(db);
    // tf counts heading occurrences (weight A) twice, as bm25(knowledge_fts, 2.0, 1.0) does on SQLite;
    // len is the chunk's number of distinct lexemes.
    // One statement-level trigger per INSERT (ingest inserts 200 chunks at a time), not one per row.
    await sql`CREATE FUNCTION knowledge_postings_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO knowledge_postings (agent, lexeme, chunk_id, tf, len)
        SELECT c.agent, t.lexeme, c.id,
               (SELECT sum(CASE WHEN w = 'A' THEN 2 ELSE 1 END) FROM unnest(t.weights) AS w),
               length(c.tsv)
        FROM added c, unnest(c.tsv) AS t;
        RETURN NULL;
      END $$`.execute(db);
    await sql`CREATE TRIGGER knowledge_chunks_postings AFTER INSERT ON knowledge_chunks REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION knowledge_postings_add()`.execute(db);
    await sql`INSERT INTO knowledge_postings (agent, lexeme, chunk_id, tf, len)
      SELECT c.agent, t.lexeme, c.id, (SELECT sum(CASE WHEN w = 'A' THEN 2 ELSE 1 END) FROM unnest(t.weights) AS w), length(c.tsv)
      FROM knowledge_chunks c, unnest(c.tsv) AS t`.execute(db);
    await sql`DROP INDEX knowledge_chunks_tsv`.execute(db);
    // Summed per source, for BM25's average chunk length without reading every chunk.
    await sql`ALTER TABLE knowledge_sources ADD COLUMN lexemes integer NOT NULL DEFAULT 0`.execute(db);
    await sql`UPDATE knowledge_sources s SET lexemes = (SELECT coalesce(sum(length(c.tsv)), 0) FROM knowledge_chunks c WHERE c.agent = s.agent AND c.source = s.source)`.execute(db);
  },
  async down() {
    throw new Error('Parley migrations are forward-only');
  },
});

// Conversations still open: few at any time, but crash recovery looks for them at every start
// (and every seat lease with several nodes), so they are found without reading every record.
const openConversations = (): Migration => ({
  async up(db: Kysely<any>) {
    await sql`CREATE INDEX conversations_open ON conversations (started_at) WHERE ended_at IS NULL`.execute(db);
  },
  async down() {
    throw new Error('Parley migrations are forward-only');
  },
});

// Embedding vectors of knowledge chunks, keyed by the chunk's text hash rather than its id: a
// changed document's chunks are replaced, but those whose text did not change keep their vector
// and are not sent to the embedding model again. Vectors are base64 little-endian float32 in a
// text column, the same on SQLite and Postgres (neither sqlite-vec nor pgvector is assumed);
// they are searched in process.
const knowledgeEmbeddings = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('knowledge_embeddings')
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('text_hash', 'text', (c) => c.notNull())
      .addColumn('vector', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('knowledge_embeddings_pk', ['agent', 'model', 'text_hash'])
      .execute();
    // The questions the documents could not answer are read from declined agent turns: few among all turns.
    await sql`CREATE INDEX turns_declined ON turns (conversation_id, seq) WHERE grounding = 'declined'`.execute(db);
  },
  async down() {
    throw new Error('Parley migrations are forward-only');
  },
});

// Events out (docs/events.md): an event is written once (outbox_events), fanned out to one
// delivery per destination (a webhook, an email), each delivered from here with a lease so a
// crash or a second node never loses or doubles one; every attempt is kept for the admin API.
// The calendar feed's tokens are kept hashed, and a booking's SEQUENCE counts its iCalendar
// revisions (the cancellation is the invitation's SEQUENCE + 1). Self-contained: it touches no
// other migration's tables but for the added bookings column. Numbered 0008 so that it sorts
// after main's 0007_knowledge_embeddings (a store migrated by main must find it later, not earlier).
const eventsOutbox = (kind: StoreKind): Migration => ({
  async up(db: Kysely<any>) {
    const serial = kind === 'sqlite' ? 'integer' : 'serial';
    await db.schema
      .createTable('outbox_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('fanned_out', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`CREATE INDEX outbox_events_new ON outbox_events (created_at) WHERE fanned_out = 0`.execute(db);
    await db.schema.createIndex('outbox_events_agent_created').on('outbox_events').columns(['agent', 'created_at']).execute();
    await db.schema
      .createTable('outbox_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull().references('outbox_events.id').onDelete('cascade'))
      .addColumn('destination', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addUniqueConstraint('outbox_deliveries_event_destination', ['event_id', 'destination'])
      .execute();
    await db.schema.createIndex('outbox_deliveries_due').on('outbox_deliveries').columns(['state', 'next_attempt_at']).execute();
    await db.schema
      .createTable('outbox_attempts')
      .addColumn('id', serial, (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
      .addColumn('delivery_id', 'text', (c) => c.notNull().references('outbox_deliveries.id').onDelete('cascade'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('error', 'text')
      .execute();
    await db.schema.createIndex('outbox_attempts_delivery').on('outbox_attempts').column('delivery_id').execute();
    await db.schema
      .createTable('calendar_feeds')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.alterTable('bookings').addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
  async down() {
    throw new Error('Parley migrations are forward-only');
  },
});

// Post-call analysis, one row per conversation: written once the analysis ran, failed or was
// skipped. A conversation that ended without a row is what recovery picks up after a crash.
const analysis = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('analyses')
      .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('summary', 'text')
      .addColumn('data', 'text')
      .addColumn('criteria', 'text')
      .addColumn('error', 'text')
      .addColumn('model', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('analysed_at', 'text', (c) => c.notNull())
      .execute();
    await sql`CREATE INDEX conversations_ended ON conversations (ended_at) WHERE ended_at IS NOT NULL`.execute(db);
  },
  async down() {
    throw new Error('Parley migrations are forward-only');
  },
});

// What the owner's dashboard reads: full-text search over transcripts (FTS5 on SQLite, a GIN
// index on the turns' tsvector on Postgres), and a per-hour counter of widget session requests
// (the top of the funnel), bumped with one upsert, never a row per request.
const ownerDashboard = (kind: StoreKind): Migration => ({
  async up(db: Kysely<any>) {
    if (kind === 'sqlite') {
      await sql`CREATE VIRTUAL TABLE turns_fts USING fts5(text, content='turns', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`.execute(db);
      await sql`CREATE TRIGGER turns_fts_ai AFTER INSERT ON turns BEGIN INSERT INTO turns_fts(rowid, text) VALUES (new.id, new.text); END`.execute(db);
      await sql`CREATE TRIGGER turns_fts_ad AFTER DELETE ON turns BEGIN INSERT INTO turns_fts(turns_fts, rowid, text) VALUES ('delete', old.id, old.text); END`.execute(db);
      await sql`CREATE TRIGGER turns_fts_au AFTER UPDATE OF text ON turns BEGIN
        INSERT INTO turns_fts(turns_fts, rowid, text) VALUES ('delete', old.id, old.text); INSERT INTO turns_fts(rowid, text) VALUES (new.id, new.text); END`.execute(db);
      await sql`INSERT INTO turns_fts(turns_fts) VALUES ('rebuild')`.execute(db);
    } else {
      await sql`CREATE INDEX turns_text_search ON turns USING gin (to_tsvector('simple', text))`.execute(db);
    }
    await db.schema
      .createTable('widget_sessions')
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('hour', 'text', (c) => c.notNull()) // ISO instant of the hour's start, UTC
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('widget_sessions_pk', ['agent', 'hour'])
      .execute();
    await db.schema.createIndex('tool_calls_errors').on('tool_calls').columns(['conversation_id']).where(sql.ref('error'), 'is not', null).execute();
    // Every outcome asks "was a call booked?": answered from this small index, not from each conversation's events.
    await db.schema.createIndex('events_bookings').on('events').columns(['conversation_id']).where(sql.ref('type'), '=', sql.lit('booking.made')).execute();
  },
  async down() {
    throw new Error('Parley migrations are forward-only');
  },
});

// Outbound campaigns and answering machines (docs/phone.md): a campaign's contacts, each claimed
// with a lease by the node that dials it (so two nodes never dial one contact, and a dead node's
// contact is retried only after its lease, which outlasts any call it may have placed); every
// outbound call by its Twilio CallSid with what answered it; and the do-not-call list, checked
// at dial time. A conversation is linked to its campaign and contact through its call's row.
const campaigns = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('campaigns')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('campaign_contacts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
      .addColumn('row_no', 'integer', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('variables', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('call_sid', 'text')
      .addColumn('last_dialled_at', 'text')
      .addColumn('outcome', 'text')
      .addColumn('last_error', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('campaign_contacts_phone', ['campaign_id', 'phone'])
      .execute();
    await db.schema.createIndex('campaign_contacts_due').on('campaign_contacts').columns(['campaign_id', 'state', 'next_attempt_at']).execute();
    await db.schema.createIndex('campaign_contacts_leases').on('campaign_contacts').columns(['state', 'lease_until']).execute();
    await db.schema
      .createTable('outbound_calls')
      .addColumn('call_sid', 'text', (c) => c.primaryKey())
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('to_number', 'text', (c) => c.notNull())
      .addColumn('campaign_id', 'text')
      .addColumn('contact_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text')
      .addColumn('answered_by', 'text')
      .addColumn('outcome', 'text')
      .addColumn('detected_by', 'text')
      .addColumn('voicemail', 'text')
      .addColumn('conversation_id', 'text')
      .execute();
    await db.schema.createIndex('outbound_calls_conversation').on('outbound_calls').column('conversation_id').execute();
    await db.schema
      .createTable('do_not_call')
      .addColumn('phone', 'text', (c) => c.primaryKey())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('conversation_id', 'text')
      .addColumn('added_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down() {
    throw new Error('Parley migrations are forward-only');
  },
});

/** Every migration, in order; names sort lexically. */
export function migrations(kind: StoreKind): MigrationProvider {
  return { getMigrations: async () => ({ '0001_initial': initial(kind), '0002_bookings': bookings(), '0003_usage': usage(kind), '0004_knowledge_index': knowledgeIndex(kind), '0005_knowledge_postings': knowledgePostings(kind), '0006_open_conversations': openConversations(), '0007_knowledge_embeddings': knowledgeEmbeddings(), '0008_events_outbox': eventsOutbox(kind), '0009_analysis': analysis(), '0010_owner_dashboard': ownerDashboard(kind), '0011_campaigns': campaigns() }) };
}
