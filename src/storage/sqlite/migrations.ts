/**
 * One versioned schema change. Versions start at 1 and go up by exactly 1; the database records the
 * last one applied in `PRAGMA user_version`. A migration that has shipped is never edited: change the
 * schema by appending a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every schema change, in the order it is applied. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'bot state (botbuilder Storage)',
    sql: `
      CREATE TABLE bot_state (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        etag       TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'work items',
    sql: `
      CREATE TABLE work_items (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id       TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        title           TEXT NOT NULL,
        description     TEXT NOT NULL DEFAULT '',
        status          TEXT NOT NULL CHECK (status IN ('new', 'active', 'resolved', 'closed')),
        assignee        TEXT,
        due_date        TEXT,
        created_by      TEXT,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      );
      CREATE INDEX work_items_by_scope ON work_items (tenant_id, conversation_id, created_at);
    `,
  },
  {
    version: 3,
    name: 'answers and feedback',
    sql: `
      CREATE TABLE answers (
        message_id      TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        tenant_id       TEXT NOT NULL,
        user_id         TEXT NOT NULL,
        question        TEXT NOT NULL,
        answer          TEXT NOT NULL,
        sources         TEXT NOT NULL,
        created_at      TEXT NOT NULL
      );
      CREATE INDEX answers_by_conversation ON answers (conversation_id, created_at);

      -- No foreign key to answers: feedback may arrive for a message whose answer was not recorded.
      CREATE TABLE feedback (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        reaction        TEXT NOT NULL CHECK (reaction IN ('like', 'dislike')),
        comment         TEXT NOT NULL DEFAULT '',
        message_id      TEXT,
        conversation_id TEXT NOT NULL,
        tenant_id       TEXT NOT NULL,
        user_id         TEXT NOT NULL,
        created_at      TEXT NOT NULL
      );
      CREATE INDEX feedback_by_reaction ON feedback (reaction, created_at);
    `,
  },
  {
    version: 4,
    name: 'knowledge base (FTS5)',
    sql: `
      CREATE TABLE kb_documents (
        id           TEXT PRIMARY KEY,
        source       TEXT NOT NULL UNIQUE,
        title        TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        indexed_at   TEXT NOT NULL
      );

      CREATE TABLE kb_passages (
        id          INTEGER PRIMARY KEY,
        passage_id  TEXT NOT NULL UNIQUE,
        document_id TEXT NOT NULL REFERENCES kb_documents (id) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        heading     TEXT NOT NULL,
        text        TEXT NOT NULL
      );
      CREATE INDEX kb_passages_by_document ON kb_passages (document_id, position);

      -- A self-contained FTS5 index kept in step with kb_passages by triggers (the cascade from
      -- kb_documents fires the delete trigger too), so it can never point at a passage that is gone.
      CREATE VIRTUAL TABLE kb_passages_fts USING fts5 (
        title, heading, text,
        tokenize = 'porter unicode61'
      );

      CREATE TRIGGER kb_passages_after_insert AFTER INSERT ON kb_passages BEGIN
        INSERT INTO kb_passages_fts (rowid, title, heading, text)
        VALUES (new.id, (SELECT title FROM kb_documents WHERE id = new.document_id), new.heading, new.text);
      END;

      CREATE TRIGGER kb_passages_after_delete AFTER DELETE ON kb_passages BEGIN
        DELETE FROM kb_passages_fts WHERE rowid = old.id;
      END;
    `,
  },
  {
    version: 5,
    name: 'token usage of answers',
    sql: `
      -- Prompt and completion tokens of all the model calls of the turn that produced the answer; NULL for
      -- answers recorded before usage was tracked. tokens_estimated is 1 when the provider reported no usage
      -- and the tokens were counted with the tokenizer.
      ALTER TABLE answers ADD COLUMN prompt_tokens INTEGER;
      ALTER TABLE answers ADD COLUMN completion_tokens INTEGER;
      ALTER TABLE answers ADD COLUMN tokens_estimated INTEGER;
    `,
  },
  {
    version: 6,
    name: 'knowledge document origin',
    sql: `
      -- Who indexed a document: 'folder' (the bot's KNOWLEDGE_DIR, synced at startup, sources relative to it)
      -- or 'ingest' (npm run ingest, absolute sources). Each only removes documents of its own origin.
      ALTER TABLE kb_documents ADD COLUMN origin TEXT NOT NULL DEFAULT 'folder'
        CHECK (origin IN ('folder', 'ingest'));
      -- Before this migration ingestion wrote absolute paths and the folder load relative ones.
      UPDATE kb_documents SET origin = 'ingest'
        WHERE substr(source, 1, 1) IN ('/', '\\') OR source GLOB '[A-Za-z]:*';
    `,
  },
  {
    version: 7,
    name: 'knowledge passage embeddings',
    sql: `
      -- One vector per embeddings model and passage content (title, heading and text hashed together), so a
      -- passage whose content did not change keeps its vector when its document is re-indexed. Vectors are
      -- little-endian float32 arrays.
      CREATE TABLE kb_passage_vectors (
        model      TEXT NOT NULL,
        text_hash  TEXT NOT NULL,
        dimensions INTEGER NOT NULL,
        vector     BLOB NOT NULL,
        PRIMARY KEY (model, text_hash)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 8,
    name: 'data hygiene: who created a work item, who talked where, indexes for retention and forget',
    sql: `
      -- created_by keeps the display name shown to people; created_by_id is the creator's AAD object id
      -- (or Teams user id), so "forget this person" can find their items. personal = 1 marks items created
      -- in the creator's own 1:1 chat with the bot.
      ALTER TABLE work_items ADD COLUMN created_by_id TEXT;
      ALTER TABLE work_items ADD COLUMN personal INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX work_items_by_creator ON work_items (created_by_id);

      -- Which conversations a person talked to the bot in, with the botbuilder state keys of that
      -- conversation and of the person, so their 1:1 history and user state can be deleted on request.
      CREATE TABLE user_conversations (
        user_id                TEXT NOT NULL,
        tenant_id              TEXT NOT NULL,
        conversation_id        TEXT NOT NULL,
        conversation_type      TEXT NOT NULL,
        conversation_state_key TEXT NOT NULL,
        user_state_key         TEXT NOT NULL,
        last_seen_at           TEXT NOT NULL,
        PRIMARY KEY (user_id, conversation_id)
      );
      CREATE INDEX user_conversations_by_age ON user_conversations (last_seen_at);

      CREATE INDEX bot_state_by_age ON bot_state (updated_at);
      CREATE INDEX answers_by_user ON answers (user_id);
      CREATE INDEX answers_by_age ON answers (created_at);
      CREATE INDEX feedback_by_user ON feedback (user_id);
      CREATE INDEX feedback_by_age ON feedback (created_at);
    `,
  },
  {
    version: 9,
    name: 'inbound activity ids seen recently (shared duplicate detection)',
    sql: `
      -- The (conversation id, activity id) of each inbound activity and when it was first seen (ms since the
      -- epoch), so that a retry reaching another process is not answered twice. Rows older than the window
      -- (10 minutes) are swept by the bot.
      CREATE TABLE inbound_activities (
        conversation_id TEXT NOT NULL,
        activity_id     TEXT NOT NULL,
        seen_at         INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, activity_id)
      ) WITHOUT ROWID;
      CREATE INDEX inbound_activities_by_age ON inbound_activities (seen_at);
    `,
  },
  {
    version: 10,
    name: 'answers identified by tenant, conversation and message id; feedback linked once',
    sql: `
      -- Teams message ids are unique within a conversation only: an answer is identified by its tenant,
      -- conversation and message id (before, an answer recorded under another conversation's message id
      -- replaced that one). Rebuilt in insertion order, so rowid still breaks ties between equal timestamps.
      CREATE TABLE answers_scoped (
        message_id        TEXT NOT NULL,
        conversation_id   TEXT NOT NULL,
        tenant_id         TEXT NOT NULL,
        user_id           TEXT NOT NULL,
        question          TEXT NOT NULL,
        answer            TEXT NOT NULL,
        sources           TEXT NOT NULL,
        created_at        TEXT NOT NULL,
        prompt_tokens     INTEGER,
        completion_tokens INTEGER,
        tokens_estimated  INTEGER,
        PRIMARY KEY (tenant_id, conversation_id, message_id)
      );
      INSERT INTO answers_scoped (message_id, conversation_id, tenant_id, user_id, question, answer, sources,
                                  created_at, prompt_tokens, completion_tokens, tokens_estimated)
        SELECT message_id, conversation_id, tenant_id, user_id, question, answer, sources,
               created_at, prompt_tokens, completion_tokens, tokens_estimated
        FROM answers ORDER BY rowid;
      DROP TABLE answers;
      ALTER TABLE answers_scoped RENAME TO answers;
      CREATE INDEX answers_by_scope ON answers (tenant_id, conversation_id, created_at);
      CREATE INDEX answers_by_user ON answers (user_id);
      CREATE INDEX answers_by_age ON answers (created_at);

      -- The answer a feedback is linked to: decided once, when the feedback is recorded, and only to an answer
      -- of the same tenant and conversation recorded by then (NULL: not linked, for good). Feedback was joined
      -- by message id alone before, so a comment sent early from another tenant or conversation would be shown
      -- with an answer that got that message id later. Existing feedback is linked on the same terms.
      ALTER TABLE feedback ADD COLUMN answer_message_id TEXT;
      UPDATE feedback SET answer_message_id = message_id
        WHERE message_id IS NOT NULL AND EXISTS (
          SELECT 1 FROM answers a
          WHERE a.tenant_id = feedback.tenant_id AND a.conversation_id = feedback.conversation_id
            AND a.message_id = feedback.message_id AND a.created_at <= feedback.created_at);
    `,
  },
  {
    version: 11,
    name: 'open Teams streams (closed after a crash)',
    sql: `
      -- Each Teams stream the bot has open, from its first update (when Teams gave it an id) until the bot
      -- ends it, with what is needed to send its final message from another process: the conversation
      -- reference (JSON), the text the user sees, and the owning process with its lease (updated_at, ms since
      -- the epoch, renewed by every sent update and every few seconds). See docs/operations.md.
      CREATE TABLE open_streams (
        stream_id       TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        service_url     TEXT NOT NULL,
        tenant_id       TEXT NOT NULL,
        reference       TEXT NOT NULL,
        locale          TEXT,
        started_at      INTEGER NOT NULL,
        shown_text      TEXT NOT NULL,
        stream_sequence INTEGER NOT NULL,
        owner_id        TEXT NOT NULL,
        updated_at      INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, stream_id)
      );
      CREATE INDEX open_streams_by_owner ON open_streams (owner_id);
    `,
  },
];
