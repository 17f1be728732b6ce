/*
 * survey_fill.c — fills a wave with N generated anonymous answers, sealed
 * as Vigie seals them, in one transaction, for bench/surveys.sh (exports
 * of a million answers).  Not a test, not installed.
 *
 *	survey-fill DATA_DIR WAVE_ID N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/crypto.h"
#include "core/territory.h"
#include "db/db.h"

int
main(int argc, char **argv)
{
	static const char q[] = "INSERT INTO survey_responses (id, wave_id, "
	    "submitted_on, language, answers) VALUES (?, ?, ?, 'fr', ?)";
	static const char *const sexes[] = {"fille", "garcon", "autre"};
	static const char *const deps[] = {"42", "69", "75", "13", "974"};
	char path[1024], answers[512];
	unsigned char sealed[512 + VG_SEAL_OVERHEAD];
	vg_keys keys;
	vg_db *db;
	vg_stmt *st;
	long long wave, n, i;

	if (argc != 4 || (wave = atoll(argv[2])) <= 0 ||
	    (n = atoll(argv[3])) <= 0) {
		fprintf(stderr, "usage: survey-fill DATA_DIR WAVE_ID N\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/vigie.key", argv[1]);
	if (vg_crypto_init() != VG_OK || vg_key_load(path, &keys) != VG_OK ||
	    vg_territory_load(VIGIE_SHAREDIR, path, sizeof(path)) != VG_OK) {
		fprintf(stderr, "survey-fill: cannot load %s\n", path);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/vigie.db", argv[1]);
	if (vg_db_open(path, &db) != VG_OK || vg_db_begin(db) != VG_OK)
		return 1;
	for (i = 0; i < n; i++) {
		int64_t id;
		int age = 11 + (int)randombytes_uniform(15);
		size_t len;

		const vg_dept *d = vg_dept_at(randombytes_uniform(
		    (uint32_t)vg_dept_count()));
		bool harassed = randombytes_uniform(100) < 30;

		/* The fields of both the bench's form and the starter youth
		 * questionnaire (content/questionnaires/barometre_jeunes). */
		len = (size_t)snprintf(answers, sizeof(answers),
		    "{\"age\":\"%d\",\"commentaire\":\"R\\u00e9ponse %lld\","
		    "\"dep\":\"%s\",\"sexe\":\"%s\",\"harcele\":\"%s\","
		    "\"image_diffusee\":\"%s\"%s}", age, i, d ? d->code :
		    deps[randombytes_uniform(5)], sexes[randombytes_uniform(3)],
		    harassed ? "oui" : "non", randombytes_uniform(10) ? "non" :
		    "oui", harassed ? ",\"ou\":\"instagram tiktok\"" : "");
		vg_seal(&keys, answers, len, sealed);
		randombytes_buf(&id, sizeof(id));
		id &= INT64_MAX;
		if (vg_db_prepare(db, q, &st) != VG_OK)
			return 1;
		vg_stmt_bind_int(st, 1, id ? id : 1);
		vg_stmt_bind_int(st, 2, wave);
		vg_stmt_bind_text(st, 3, "2026-11-23");
		vg_stmt_bind_blob(st, 4, sealed, len + VG_SEAL_OVERHEAD);
		if (vg_stmt_exec(st) != VG_OK) {
			vg_stmt_done(st);
			continue;       /* a colliding random id: skipped */
		}
		vg_stmt_done(st);
	}
	/* The answers' count, as each sending writes it. */
	if (vg_db_prepare(db, "INSERT INTO survey_wave_days (wave_id, day, "
	    "completed) VALUES (?1, '2026-11-23', ?2) ON CONFLICT (wave_id, "
	    "day) DO UPDATE SET completed = completed + ?2", &st) != VG_OK)
		return 1;
	vg_stmt_bind_int(st, 1, wave);
	vg_stmt_bind_int(st, 2, n);
	if (vg_stmt_exec(st) != VG_OK)
		return 1;
	vg_stmt_done(st);
	if (vg_db_commit(db) != VG_OK)
		return 1;
	vg_db_close(db);
	return 0;
}
