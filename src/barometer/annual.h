/*
 * annual.h — the observatory's annual analytical report, a PDF drawn with
 * cairo and pango: cover, summary, the published indicators with their
 * charts, intervals and method notes, trends against the previous year,
 * report statistics, actions carried out, trusted-flagger figures.
 */
#ifndef VG_ANNUAL_H
#define VG_ANNUAL_H

#include "core/config.h"
#include "core/crypto.h"
#include "http/http.h"

/* `vigie report --year AAAA --out FICHIER.pdf` once the common options
 * (--data, --config) are read and the data opened: argv[0] is "report".
 * Returns the exit status (0 written, 2 usage or error). */
int annual_cli(const vg_config *c, const vg_keys *k, int argc, char **argv);

const vg_route *annual_routes(size_t *n);

#endif
