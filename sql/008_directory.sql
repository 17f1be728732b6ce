-- The directory of local actors ("cartographie des acteurs"): who can help
-- near a person, by département, commune, kind, theme and public served.
-- Territories are official codes (checked against
-- @etalab/decoupage-administratif by the application).

CREATE TABLE actors (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,                     -- a code of directory.c's kinds
	themes TEXT NOT NULL DEFAULT '',        -- theme codes separated by spaces
	publics TEXT NOT NULL DEFAULT '',       -- public codes separated by spaces
	departement TEXT NOT NULL,              -- "42", "2A", "974"
	commune TEXT,                           -- INSEE code, or NULL
	address TEXT,
	phone TEXT,
	email TEXT,
	website TEXT,
	hours TEXT,
	accessibility TEXT,
	description TEXT,
	-- Contact fields shown to professionals only, separated by spaces
	-- ("address phone email website").
	pro_only TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	modified_at INTEGER NOT NULL,
	modified_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);

CREATE INDEX actors_place ON actors (departement, commune);

-- French full-text index over the name and description, kept in step by
-- triggers (as for resources).
CREATE VIRTUAL TABLE actors_fts USING fts5 (
	name, description,
	content = 'actors', content_rowid = 'id', tokenize = 'vigie_fr'
);

CREATE TRIGGER actors_fts_insert AFTER INSERT ON actors BEGIN
	INSERT INTO actors_fts (rowid, name, description)
	VALUES (new.id, new.name, coalesce(new.description, ''));
END;

CREATE TRIGGER actors_fts_delete AFTER DELETE ON actors BEGIN
	INSERT INTO actors_fts (actors_fts, rowid, name, description)
	VALUES ('delete', old.id, old.name, coalesce(old.description, ''));
END;

CREATE TRIGGER actors_fts_update AFTER UPDATE ON actors BEGIN
	INSERT INTO actors_fts (actors_fts, rowid, name, description)
	VALUES ('delete', old.id, old.name, coalesce(old.description, ''));
	INSERT INTO actors_fts (rowid, name, description)
	VALUES (new.id, new.name, coalesce(new.description, ''));
END;
