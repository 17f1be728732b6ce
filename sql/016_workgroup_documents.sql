-- The working group's library (/groupe/documents): protocols, contact
-- lists, templates, shared by the members.
--
-- The title, the description, the written text, the file's name and its
-- content are sealed with the column key, like everything else of the
-- group.  The search cannot read sealed columns, so a contentless FTS5
-- index is fed by the application with the title, the kind and the
-- description, and with the text only when its author ticked that it
-- holds no personal data.  An FTS index keeps its terms (folded and
-- stemmed) in clear: the form says so next to those fields.  The file
-- itself is never indexed.
--
-- A contentless index keeps no copy of the text; deleting a row from it
-- takes the values that were indexed, which the application unseals in
-- the transaction that deletes the document.

CREATE TABLE wg_documents (
	id INTEGER PRIMARY KEY,
	title BLOB NOT NULL,                    -- sealed
	kind TEXT NOT NULL CHECK (kind IN ('protocole', 'contacts',
	    'modele', 'autre')),
	description BLOB NOT NULL,              -- sealed
	body BLOB,                              -- sealed Markdown, or NULL
	body_indexed INTEGER NOT NULL DEFAULT 0, -- 1: the text is searchable
	file_name BLOB,                         -- sealed, or NULL
	file_type TEXT,                         -- recognised by content
	file_size INTEGER,                      -- bytes, before sealing
	file_data BLOB,                         -- sealed content
	confirmed INTEGER NOT NULL DEFAULT 0,   -- saved despite the detector
	author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL,
	CHECK (body IS NOT NULL OR file_data IS NOT NULL)
);

CREATE INDEX wg_documents_created ON wg_documents (created_at);

CREATE VIRTUAL TABLE wg_documents_fts USING fts5 (
	title, kind, description, body,
	content = '', tokenize = 'vigie_fr'
);
