/*
 * fuzz_yaml.c — libFuzzer target for the YAML loader: any input either
 * parses into a value or fails with a terminated one-line message, and
 * nothing leaks either way.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	json_t *v = NULL;
	vg_rc rc;

	memset(err, 'x', sizeof(err));
	rc = vg_yaml_parse((const char *)data, size, "fuzz.yaml", &v, err,
	    sizeof(err));
	if (rc == VG_OK) {
		if (v == NULL)
			abort();
		json_decref(v);
	} else {
		if (v != NULL || memchr(err, '\0', sizeof(err)) == NULL ||
		    strchr(err, '\n') != NULL)
			abort();
	}
	return 0;
}
