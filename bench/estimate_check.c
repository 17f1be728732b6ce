/*
 * estimate_check.c — Vigie's side of bench/survey_check.sh: reads
 * "group,y,w" lines, prints the weighted proportion and its standard error
 * for every group and for all (group "all"), as R's survey package would,
 * with 17 significant digits, and the computing time on standard error.
 *
 *	estimate-check FILE.csv
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "barometer/estimate.h"

int
main(int argc, char **argv)
{
	FILE *f;
	char line[256];
	size_t n = 0, cap = 0, i, g, ngroups = 0;
	int *grp = NULL;
	unsigned char *y = NULL, *yy;
	double *w = NULL, *ww;
	struct timespec t0, t1;
	vg_estimate e;

	if (argc != 2 || (f = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: estimate-check FILE.csv\n");
		return 2;
	}
	if (fgets(line, sizeof(line), f) == NULL)    /* the header */
		return 1;
	while (fgets(line, sizeof(line), f) != NULL) {
		int gv, yv;
		double wv;

		if (sscanf(line, "%d,%d,%lf", &gv, &yv, &wv) != 3)
			return 1;
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			grp = realloc(grp, cap * sizeof(*grp));
			y = realloc(y, cap);
			w = realloc(w, cap * sizeof(*w));
			if (grp == NULL || y == NULL || w == NULL)
				return 1;
		}
		grp[n] = gv;
		y[n] = (unsigned char)yv;
		w[n] = wv;
		if ((size_t)gv + 1 > ngroups)
			ngroups = (size_t)gv + 1;
		n++;
	}
	fclose(f);
	if ((yy = malloc(n)) == NULL || (ww = malloc(n * sizeof(*ww))) == NULL)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (vg_est_proportion(y, w, n, VG_Z95, 0, &e) != VG_OK)
		return 1;
	printf("all %.17g %.17g\n", e.estimate, e.se);
	if (getenv("VIGIE_CELLS") != NULL) {
		/* The groups from their sufficient statistics, as the
		 * barometer's precomputed cells hold them. */
		vg_cell *cells = calloc(ngroups, sizeof(*cells));

		if (cells == NULL)
			return 1;
		for (i = 0; i < n; i++)
			vg_cell_add(&cells[grp[i]], y[i], w[i]);
		for (g = 0; g < ngroups; g++)
			if (cells[g].n > 0 && vg_est_cell(&cells[g], n, true,
			    VG_Z95, 0, &e) == VG_OK)
				printf("%zu %.17g %.17g\n", g, e.estimate,
				    e.se);
		free(cells);
	} else {
		for (g = 0; g < ngroups; g++) {
			size_t k = 0;

			for (i = 0; i < n; i++)
				if ((size_t)grp[i] == g) {
					yy[k] = y[i];
					ww[k] = w[i];
					k++;
				}
			if (k > 0 && vg_est_domain(yy, ww, k, n, VG_Z95, 0,
			    &e) == VG_OK)
				printf("%zu %.17g %.17g\n", g, e.estimate,
				    e.se);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "%.6f\n", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
