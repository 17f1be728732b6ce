/*
 * estimate.c — proportions, intervals, weights (see estimate.h).
 *
 * Sums are taken with Neumaier's compensated summation: a million weights
 * added naively lose digits that the comparison with R would see.
 */
#include "barometer/estimate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ksum {
	double s, c;
};

static void
kadd(struct ksum *k, double x)
{
	double t = k->s + x;

	if (fabs(k->s) >= fabs(x))
		k->c += (k->s - t) + x;
	else
		k->c += (x - t) + k->s;
	k->s = t;
}

static double
kval(const struct ksum *k)
{
	return k->s + k->c;
}

vg_rc
vg_est_proportion(const unsigned char *y, const double *w, size_t n,
    double z, size_t threshold, vg_estimate *out)
{
	return vg_est_domain(y, w, n, n, z, threshold, out);
}

vg_rc
vg_est_domain(const unsigned char *y, const double *w, size_t n,
    size_t n_design, double z, size_t threshold, vg_estimate *out)
{
	struct ksum sw = {0, 0}, swy = {0, 0}, sq = {0, 0};
	size_t i;
	double p;

	memset(out, 0, sizeof(*out));
	if (n == 0 || n_design < n)
		return VG_EINVAL;
	for (i = 0; i < n; i++) {
		if (y[i] > 1 || (w != NULL && (!isfinite(w[i]) || w[i] <= 0)))
			return VG_EINVAL;
		kadd(&sw, w ? w[i] : 1.0);
		if (y[i])
			kadd(&swy, w ? w[i] : 1.0);
	}
	out->n = n;
	if (n < threshold) {
		out->suppressed = true;
		return VG_OK;
	}
	p = kval(&swy) / kval(&sw);
	out->estimate = p;
	if (w == NULL) {
		/* Wilson score interval. */
		double nn = (double)n, z2 = z * z;
		double denom = 1.0 + z2 / nn;
		double centre = (p + z2 / (2.0 * nn)) / denom;
		double half = z / denom * sqrt(p * (1.0 - p) / nn +
		    z2 / (4.0 * nn * nn));

		out->se = sqrt(p * (1.0 - p) / nn);
		out->ci_low = fmax(0.0, centre - half);
		out->ci_high = fmin(1.0, centre + half);
		return VG_OK;
	}
	/* Linearised variance of the ratio Σwy/Σw, units as PSUs drawn
	 * with replacement (survey's ids = ~1): the influence values
	 * w (y - p) / Σw sum to zero. */
	if (n_design >= 2) {
		double total = kval(&sw);

		for (i = 0; i < n; i++) {
			double x = w[i] * ((double)y[i] - p) / total;

			kadd(&sq, x * x);
		}
		out->se = sqrt((double)n_design / (double)(n_design - 1) *
		    kval(&sq));
	}
	out->ci_low = p - z * out->se;
	out->ci_high = p + z * out->se;
	return VG_OK;
}

void
vg_cell_add(vg_cell *c, unsigned char y, double w)
{
	c->n++;
	c->sw += w;
	c->sw2 += w * w;
	if (y) {
		c->swy += w;
		c->sw2y += w * w;
	}
}

vg_rc
vg_est_cell(const vg_cell *c, size_t n_design, bool weighted, double z,
    size_t threshold, vg_estimate *out)
{
	double p, sq;

	memset(out, 0, sizeof(*out));
	if (c->n == 0 || n_design < c->n || !(c->sw > 0))
		return VG_EINVAL;
	out->n = c->n;
	if (c->n < threshold) {
		out->suppressed = true;
		return VG_OK;
	}
	p = c->swy / c->sw;
	out->estimate = p;
	if (!weighted) {
		double nn = (double)c->n, z2 = z * z;
		double denom = 1.0 + z2 / nn;
		double centre = (p + z2 / (2.0 * nn)) / denom;
		double half = z / denom * sqrt(p * (1.0 - p) / nn +
		    z2 / (4.0 * nn * nn));

		out->se = sqrt(p * (1.0 - p) / nn);
		out->ci_low = fmax(0.0, centre - half);
		out->ci_high = fmin(1.0, centre + half);
		return VG_OK;
	}
	/* Σ (w (y - p))² from the sums; rounding can leave a tiny negative
	 * for a cell where every y is the same. */
	sq = c->sw2y - 2.0 * p * c->sw2y + p * p * c->sw2;
	if (sq < 0)
		sq = 0;
	if (n_design >= 2)
		out->se = sqrt((double)n_design / (double)(n_design - 1) * sq) /
		    c->sw;
	out->ci_low = p - z * out->se;
	out->ci_high = p + z * out->se;
	return VG_OK;
}

void
vg_est_difference(const vg_estimate *a, const vg_estimate *b, double z,
    vg_difference *out)
{
	out->diff = b->estimate - a->estimate;
	out->se = sqrt(a->se * a->se + b->se * b->se);
	out->ci_low = out->diff - z * out->se;
	out->ci_high = out->diff + z * out->se;
	out->significant = !a->suppressed && !b->suppressed &&
	    (out->ci_low > 0.0 || out->ci_high < 0.0);
}

void
vg_weights_summary(const double *w, size_t n, vg_weight_summary *out)
{
	struct ksum s = {0, 0}, s2 = {0, 0};
	size_t i;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return;
	out->min = out->max = w[0];
	for (i = 0; i < n; i++) {
		kadd(&s, w[i]);
		kadd(&s2, w[i] * w[i]);
		out->min = fmin(out->min, w[i]);
		out->max = fmax(out->max, w[i]);
	}
	out->sum = kval(&s);
	out->deff = (double)n * kval(&s2) / (out->sum * out->sum);
}

vg_rc
vg_rake(double *w, size_t n, size_t nvars, const int *const *cat,
    const size_t *ncat, const double *const *target, double tol,
    int max_iter, int *iterations, size_t *bad_var, size_t *bad_cat)
{
	double *tot = NULL, grand = -1.0;
	size_t v, c, i, maxcat = 0;
	int it;
	vg_rc rc = VG_ECONFLICT;

	*iterations = 0;
	*bad_var = *bad_cat = 0;
	for (v = 0; v < nvars; v++)
		maxcat = ncat[v] > maxcat ? ncat[v] : maxcat;
	if ((tot = calloc(maxcat ? maxcat : 1, sizeof(*tot))) == NULL)
		return VG_ENOMEM;
	/* The margins must describe the same population, and every category
	 * to reach must have someone in it. */
	for (v = 0; v < nvars; v++) {
		struct ksum g = {0, 0};

		memset(tot, 0, maxcat * sizeof(*tot));
		for (i = 0; i < n; i++) {
			if (cat[v][i] < 0 || (size_t)cat[v][i] >= ncat[v]) {
				*bad_var = v;
				*bad_cat = (size_t)cat[v][i];
				free(tot);
				return VG_EINVAL;
			}
			tot[cat[v][i]] += 1.0;
		}
		for (c = 0; c < ncat[v]; c++) {
			if (target[v][c] < 0 || (target[v][c] > 0 &&
			    tot[c] == 0)) {
				*bad_var = v;
				*bad_cat = c;
				free(tot);
				return VG_EINVAL;
			}
			kadd(&g, target[v][c]);
		}
		if (grand < 0)
			grand = kval(&g);
		else if (fabs(kval(&g) - grand) > tol * grand) {
			*bad_var = v;
			*bad_cat = 0;
			free(tot);
			return VG_EINVAL;
		}
	}
	for (it = 1; it <= max_iter; it++) {
		double worst = 0.0;

		for (v = 0; v < nvars; v++) {
			memset(tot, 0, maxcat * sizeof(*tot));
			for (i = 0; i < n; i++)
				tot[cat[v][i]] += w[i];
			for (i = 0; i < n; i++) {
				c = (size_t)cat[v][i];
				w[i] *= target[v][c] / tot[c];
			}
		}
		/* How far is each margin now? */
		for (v = 0; v < nvars; v++) {
			memset(tot, 0, maxcat * sizeof(*tot));
			for (i = 0; i < n; i++)
				tot[cat[v][i]] += w[i];
			for (c = 0; c < ncat[v]; c++)
				if (target[v][c] > 0)
					worst = fmax(worst, fabs(tot[c] -
					    target[v][c]) / target[v][c]);
		}
		*iterations = it;
		if (worst <= tol) {
			rc = VG_OK;
			break;
		}
	}
	free(tot);
	return rc;
}
