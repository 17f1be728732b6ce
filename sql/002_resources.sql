-- The resource centre: practical sheets, guides, letter templates, videos.
-- Loaded from content/resources/ at start when missing, then edited by
-- editors; every saved edit keeps the previous text in resource_versions.

CREATE TABLE resources (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	summary TEXT NOT NULL,
	audience TEXT NOT NULL CHECK (audience IN ('public', 'professional')),
	kind TEXT NOT NULL CHECK (kind IN ('fiche', 'guide', 'modele', 'video')),
	themes TEXT NOT NULL,                   -- codes separated by spaces
	body TEXT NOT NULL,                     -- Markdown
	plain TEXT NOT NULL,                    -- the body without markup, indexed
	video_url TEXT,
	published INTEGER NOT NULL DEFAULT 1,
	updated_on TEXT NOT NULL,               -- YYYY-MM-DD, shown to readers
	created_at INTEGER NOT NULL,
	modified_at INTEGER NOT NULL
);

CREATE INDEX resources_listing ON resources (published, audience);

CREATE TABLE resource_versions (
	id INTEGER PRIMARY KEY,
	resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	summary TEXT NOT NULL,
	audience TEXT NOT NULL,
	kind TEXT NOT NULL,
	themes TEXT NOT NULL,
	body TEXT NOT NULL,
	author_id INTEGER REFERENCES users (id),    -- NULL: loaded from content/
	created_at INTEGER NOT NULL
);

CREATE INDEX resource_versions_of ON resource_versions (resource_id, id);

-- French full-text index (SQLite only: the vigie_fr tokenizer stems and
-- ignores accents), kept in step by triggers.
CREATE VIRTUAL TABLE resources_fts USING fts5 (
	title, summary, plain,
	content = 'resources', content_rowid = 'id', tokenize = 'vigie_fr'
);

CREATE TRIGGER resources_fts_insert AFTER INSERT ON resources BEGIN
	INSERT INTO resources_fts (rowid, title, summary, plain)
	VALUES (new.id, new.title, new.summary, new.plain);
END;

CREATE TRIGGER resources_fts_delete AFTER DELETE ON resources BEGIN
	INSERT INTO resources_fts (resources_fts, rowid, title, summary, plain)
	VALUES ('delete', old.id, old.title, old.summary, old.plain);
END;

CREATE TRIGGER resources_fts_update AFTER UPDATE ON resources BEGIN
	INSERT INTO resources_fts (resources_fts, rowid, title, summary, plain)
	VALUES ('delete', old.id, old.title, old.summary, old.plain);
	INSERT INTO resources_fts (rowid, title, summary, plain)
	VALUES (new.id, new.title, new.summary, new.plain);
END;
