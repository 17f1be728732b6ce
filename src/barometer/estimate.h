/*
 * estimate.h — the statistics of the barometer: a proportion with its
 * confidence interval, weighted or not, weights adjusted to population
 * margins, suppression of small cells, and the difference between waves.
 *
 * Weighted estimates match R's survey package for a design with one stage
 * and weights only, `svymean(~y, svydesign(ids = ~1, weights = ~w))`:
 * the ratio estimator p = Σ w y / Σ w, its linearised (with-replacement)
 * variance n/(n-1) Σ (w (y - p) / Σ w)², and the Wald interval p ± z·se
 * with z the normal quantile (1.959963984540054 at 95 %).  Unweighted
 * estimates use the Wilson score interval, which stays inside [0, 1] and
 * behaves for small n and proportions near 0 or 1.
 *
 * Pure functions on arrays: no database, no allocation unless said.
 */
#ifndef VG_ESTIMATE_H
#define VG_ESTIMATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/vg.h"

#define VG_Z95 1.959963984540054       /* qnorm(0.975) */
#define VG_SUPPRESS_DEFAULT 10         /* cells under 10 answers */

typedef struct vg_estimate {
	size_t n;             /* answers counted (unweighted) */
	double estimate;      /* proportion in [0, 1] */
	double se;            /* standard error (0 when n < 2) */
	double ci_low, ci_high;
	bool suppressed;      /* n under the threshold: publish nothing */
} vg_estimate;

/* The proportion of y (1: counted, 0: not) among the n answers, weighted
 * by w (NULL: unweighted, Wilson interval), with interval at z (VG_Z95),
 * suppressed when n < threshold (the figures are then left at 0).
 * VG_EINVAL for n = 0, a weight that is not positive and finite, or a y
 * other than 0 or 1. */
vg_rc vg_est_proportion(const unsigned char *y, const double *w, size_t n,
    double z, size_t threshold, vg_estimate *out);

/* The same for a domain (a group: a département, an age group…) of a
 * wave of n_design answers, of which these n are the domain's: as
 * survey::svyby does, the variance is the whole design's, where answers
 * outside the domain count as zeros (factor n_design / (n_design - 1)). */
vg_rc vg_est_domain(const unsigned char *y, const double *w, size_t n,
    size_t n_design, double z, size_t threshold, vg_estimate *out);

/* A cell's sufficient statistics, so that a breakdown of a million
 * answers is computed from a few numbers per group (precomputed once):
 * the answers n, and the sums of w, w·y, w² and w²·y (y is 0 or 1, so
 * y² = y).  Unweighted cells have every w = 1. */
typedef struct vg_cell {
	size_t n;
	double sw, swy, sw2, sw2y;
} vg_cell;

/* Add one answer to a cell. */
void vg_cell_add(vg_cell *c, unsigned char y, double w);

/* The estimate of a cell, in a design of n_design answers: the same
 * figures as vg_est_domain() on the cell's answers (Wilson when
 * !weighted), since Σ (w (y - p))² = Σw²y - 2p Σw²y + p² Σw². */
vg_rc vg_est_cell(const vg_cell *c, size_t n_design, bool weighted, double z,
    size_t threshold, vg_estimate *out);

/* The difference b - a of two estimates of independent waves, its
 * interval at z, and whether the interval excludes 0. */
typedef struct vg_difference {
	double diff, se, ci_low, ci_high;
	bool significant;
} vg_difference;

void vg_est_difference(const vg_estimate *a, const vg_estimate *b, double z,
    vg_difference *out);

/* The weights' summary: range and Kish's design effect n Σw² / (Σw)². */
typedef struct vg_weight_summary {
	double min, max, sum, deff;
} vg_weight_summary;

void vg_weights_summary(const double *w, size_t n, vg_weight_summary *out);

/*
 * Raking (iterative proportional fitting) of base weights w (n units) to
 * the margins of nvars categorical variables: cat[v][i] is unit i's
 * category (0…ncat[v]-1) on variable v, target[v][c] the population total
 * of category c.  Each pass scales the weights so that every variable's
 * weighted totals match its targets in turn; it stops when no total is off
 * by more than tol (relative) or after max_iter passes.  With one variable
 * it is post-stratification.  VG_EINVAL (with *bad_var, *bad_cat) when a
 * category with a positive target has no unit, or margins of different
 * variables do not sum to the same total (within tol); VG_ECONFLICT when
 * it does not converge.  *iterations the passes made.
 */
vg_rc vg_rake(double *w, size_t n, size_t nvars, const int *const *cat,
    const size_t *ncat, const double *const *target, double tol,
    int max_iter, int *iterations, size_t *bad_var, size_t *bad_cat);

#endif
