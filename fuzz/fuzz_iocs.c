/*
 * fuzz_iocs.c — libFuzzer target for the reader of the indicators
 * folder (ioc.yaml, watchware.yaml, samples.csv).
 *
 * The input holds the three files separated by NUL bytes; they are
 * written to a scratch folder and read as `vigie scan` and `vigie iocs
 * check` read them.  A load that fails says one line; load and check
 * agree on whether the folder is sound; a loaded folder answers lookups
 * of the names it holds and of look-alikes without trouble.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/crypto.h"
#include "scan/scan_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char dir[64];

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_iocs: %s\n", what);
		abort();
	}
}

static void
put(const char *name, const uint8_t *p, size_t n)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	check((f = fopen(path, "wb")) != NULL, "scratch file");
	if (n > 0)
		check(fwrite(p, 1, n, f) == n, "scratch write");
	fclose(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"ioc.yaml", "watchware.yaml", "samples.csv"
	};
	const uint8_t *p = data, *end = data + size, *nul;
	char err[1200];
	vg_iocs *io = NULL;
	json_t *report = NULL;
	vg_rc rc, rc2;
	size_t i;

	if (*dir == '\0') {
		vg_crypto_init();
		snprintf(dir, sizeof(dir), "/tmp/fuzz_iocs.XXXXXX");
		check(mkdtemp(dir) != NULL, "scratch folder");
	}
	for (i = 0; i < 3; i++) {
		nul = p < end ? memchr(p, '\0', (size_t)(end - p)) : NULL;
		put(names[i], p, (size_t)((nul ? nul : end) - p));
		p = nul ? nul + 1 : end;
	}
	rc = vg_iocs_load(dir, &io, err, sizeof(err));
	check((rc == VG_OK) == (io != NULL), "load result");
	if (rc != VG_OK)
		check(*err != '\0' && strchr(err, '\n') == NULL,
		    "one line of error");
	rc2 = vg_iocs_check(dir, &report, err, sizeof(err));
	check((rc == VG_OK) == (rc2 == VG_OK), "load and check agree");
	check(report != NULL || rc2 == VG_EIO || rc2 == VG_ENOMEM, "report");
	json_decref(report);
	if (io != NULL) {
		static const char *const probes[] = {
			"copy9.com", "a.copy9.com", "notcopy9.com", "com", "",
			"a\\.b.c", ".", "..", "x.",
		};
		json_t *info = vg_iocs_info(io);

		check(info != NULL, "info");
		json_decref(info);
		for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
			uint32_t e = iocs_find_domain(io, probes[i],
			    strlen(probes[i]));

			if (e != IOC_NONE)
				check(iocs_entry(io, e)->kind == IOC_DOMAIN,
				    "domain kind");
		}
		vg_iocs_free(io);
	}
	return 0;
}
