-- The observatory's watch ("veille"): the sources editors follow and the
-- items they publish, each kept once.  Nothing here is personal data: the
-- sources are public feeds and pages.

CREATE TABLE watch_sources (
	id INTEGER PRIMARY KEY,
	url TEXT NOT NULL UNIQUE,               -- canonical (watch_canonical_url)
	name TEXT NOT NULL,
	lang TEXT NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en')),
	themes TEXT NOT NULL DEFAULT '',        -- theme ids, comma-separated
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	kind TEXT CHECK (kind IN ('rss', 'atom', 'page')), -- NULL: never read
	etag TEXT,                              -- for If-None-Match
	last_modified TEXT,                     -- for If-Modified-Since
	last_fetch TEXT,                        -- ISO 8601 UTC: last attempt
	last_ok TEXT,                           -- last successful fetch
	error TEXT,                             -- French, the last failure
	failures INTEGER NOT NULL DEFAULT 0,    -- failures in a row
	feed_url TEXT,                          -- a page: the feed it announces,
	                                        -- suggested to the editors
	created TEXT NOT NULL
);

CREATE TABLE watch_items (
	id INTEGER PRIMARY KEY,
	source_id INTEGER NOT NULL REFERENCES watch_sources (id)
	    ON DELETE CASCADE,
	key TEXT NOT NULL,                      -- watch_item_key()
	guid TEXT,
	link TEXT,                              -- canonical
	title TEXT NOT NULL,
	summary TEXT NOT NULL DEFAULT '',
	author TEXT,
	published TEXT,                         -- ISO 8601 UTC, or NULL
	fetched TEXT NOT NULL,                  -- when first seen
	read INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
	themes TEXT NOT NULL DEFAULT '',        -- theme ids, comma-separated
	note TEXT NOT NULL DEFAULT '',          -- the editors' annotation
	selected TEXT,                          -- when selected for the next
	                                        -- newsletter; NULL otherwise
	sent_issue INTEGER,                     -- the newsletter issue it went
	                                        -- out in, once sent
	UNIQUE (source_id, key)
);

-- The same article reached through two sources is kept once.
CREATE UNIQUE INDEX watch_items_link ON watch_items (link)
    WHERE link IS NOT NULL;
CREATE INDEX watch_items_new ON watch_items (read, fetched);
CREATE INDEX watch_items_selected ON watch_items (selected)
    WHERE selected IS NOT NULL;

CREATE VIRTUAL TABLE watch_items_fts USING fts5 (
	title, summary, note,
	content = 'watch_items', content_rowid = 'id', tokenize = 'vigie_fr'
);

CREATE TRIGGER watch_items_fts_insert AFTER INSERT ON watch_items BEGIN
	INSERT INTO watch_items_fts (rowid, title, summary, note)
	VALUES (new.id, new.title, new.summary, new.note);
END;

CREATE TRIGGER watch_items_fts_delete AFTER DELETE ON watch_items BEGIN
	INSERT INTO watch_items_fts (watch_items_fts, rowid, title, summary, note)
	VALUES ('delete', old.id, old.title, old.summary, old.note);
END;

CREATE TRIGGER watch_items_fts_update AFTER UPDATE OF title, summary, note
    ON watch_items BEGIN
	INSERT INTO watch_items_fts (watch_items_fts, rowid, title, summary, note)
	VALUES ('delete', old.id, old.title, old.summary, old.note);
	INSERT INTO watch_items_fts (rowid, title, summary, note)
	VALUES (new.id, new.title, new.summary, new.note);
END;
