-- The barometer's weights: a wave's answers adjusted to population margins
-- (post-stratification, raking), one weight per response, and the
-- summary shown next to every weighted figure.

CREATE TABLE survey_weights (
	wave_id INTEGER NOT NULL REFERENCES survey_waves (id) ON DELETE CASCADE,
	response_id INTEGER NOT NULL,
	weight REAL NOT NULL CHECK (weight > 0),
	PRIMARY KEY (wave_id, response_id)
) WITHOUT ROWID;

CREATE TABLE survey_weightings (
	wave_id INTEGER PRIMARY KEY REFERENCES survey_waves (id)
	    ON DELETE CASCADE,
	variables TEXT NOT NULL,                -- "dep sexe"
	n INTEGER NOT NULL,                     -- answers weighted
	weight_min REAL NOT NULL,
	weight_max REAL NOT NULL,
	deff REAL NOT NULL,                     -- Kish's design effect
	iterations INTEGER NOT NULL,
	computed_at INTEGER NOT NULL
);
