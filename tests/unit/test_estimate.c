/*
 * test_estimate.c — the barometer's statistics on small cases worked out
 * by hand (the formulas written out in the comments), and the rules:
 * suppression, raking's refusals, differences between waves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "barometer/estimate.h"

#define CLOSE(a, b) assert_true(fabs((a) - (b)) < 1e-12)

static void
test_wilson(void **state)
{
	/* 2 of 10, unweighted: Wilson with z = 1.959963984540054,
	 * centre (p + z²/2n) / (1 + z²/n), half z/(1 + z²/n) ·
	 * sqrt(p(1-p)/n + z²/4n²). */
	static const unsigned char y[10] = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0};
	vg_estimate e;

	(void)state;
	assert_int_equal(vg_est_proportion(y, NULL, 10, VG_Z95, 10, &e), VG_OK);
	assert_int_equal(e.n, 10);
	assert_false(e.suppressed);
	CLOSE(e.estimate, 0.2);
	CLOSE(e.ci_low, 0.05668215145437519);
	CLOSE(e.ci_high, 0.5098375284633583);
	/* 0 of 10 stays inside [0, 1]. */
	{
		static const unsigned char none[10] = {0};

		assert_int_equal(vg_est_proportion(none, NULL, 10, VG_Z95, 10,
		    &e), VG_OK);
		CLOSE(e.estimate, 0.0);
		CLOSE(e.ci_low, 0.0);
		assert_true(e.ci_high > 0.2 && e.ci_high < 0.35);
	}
}

static void
test_weighted(void **state)
{
	/* y 1 0 1 0, w 1 2 3 4: p = (1 + 3) / 10 = 0.4; influence values
	 * w(y - p)/Σw = .06 -.08 .18 -.16, squares sum to .068; variance
	 * 4/3 · .068; the interval p ± z·se (survey::svymean). */
	static const unsigned char y[4] = {1, 0, 1, 0};
	static const double w[4] = {1, 2, 3, 4};
	vg_estimate e;

	(void)state;
	assert_int_equal(vg_est_proportion(y, w, 4, VG_Z95, 0, &e), VG_OK);
	CLOSE(e.estimate, 0.4);
	CLOSE(e.se, 0.3011090610836324);
	CLOSE(e.ci_low, -0.19016291514259065);
	CLOSE(e.ci_high, 0.9901629151425907);
	/* Equal weights: the same proportion as unweighted. */
	{
		static const double one[4] = {2, 2, 2, 2};

		assert_int_equal(vg_est_proportion(y, one, 4, VG_Z95, 0, &e),
		    VG_OK);
		CLOSE(e.estimate, 0.5);
		/* 4/3 · Σ (.5 · ±.5 / 2)²... = 4/3 · 4 · (1/8)² */
		CLOSE(e.se, sqrt(4.0 / 3.0 * 4.0 / 64.0));
	}
}

static void
test_domain(void **state)
{
	/* The same 4 answers as a domain of a wave of 10: the influence
	 * values are the same, the factor is 10/9 instead of 4/3. */
	static const unsigned char y[4] = {1, 0, 1, 0};
	static const double w[4] = {1, 2, 3, 4};
	vg_estimate e;

	(void)state;
	assert_int_equal(vg_est_domain(y, w, 4, 10, VG_Z95, 0, &e), VG_OK);
	CLOSE(e.estimate, 0.4);
	CLOSE(e.se, sqrt(10.0 / 9.0 * 0.068));
	assert_int_equal(vg_est_domain(y, w, 4, 3, VG_Z95, 0, &e), VG_EINVAL);
}

static void
test_cells(void **state)
{
	/* The sums give the same figures as the answers themselves. */
	static const unsigned char y[6] = {1, 0, 1, 0, 1, 1};
	static const double w[6] = {1, 2, 3, 4, 0.5, 2.5};
	vg_cell c = {0, 0, 0, 0, 0};
	vg_estimate a, b;
	size_t i;

	(void)state;
	for (i = 0; i < 6; i++)
		vg_cell_add(&c, y[i], w[i]);
	assert_int_equal(vg_est_domain(y, w, 6, 50, VG_Z95, 0, &a), VG_OK);
	assert_int_equal(vg_est_cell(&c, 50, true, VG_Z95, 0, &b), VG_OK);
	CLOSE(a.estimate, b.estimate);
	CLOSE(a.se, b.se);
	CLOSE(a.ci_low, b.ci_low);
	assert_int_equal(vg_est_proportion(y, NULL, 6, VG_Z95, 0, &a), VG_OK);
	memset(&c, 0, sizeof(c));
	for (i = 0; i < 6; i++)
		vg_cell_add(&c, y[i], 1.0);
	assert_int_equal(vg_est_cell(&c, 6, false, VG_Z95, 0, &b), VG_OK);
	CLOSE(a.ci_low, b.ci_low);
	CLOSE(a.ci_high, b.ci_high);
	assert_int_equal(vg_est_cell(&c, 6, false, VG_Z95, 10, &b), VG_OK);
	assert_true(b.suppressed);
	assert_int_equal(vg_est_cell(&c, 5, true, VG_Z95, 0, &b), VG_EINVAL);
}

static void
test_suppression_and_bad_input(void **state)
{
	static const unsigned char y[9] = {1, 1, 1, 0, 0, 0, 0, 0, 0};
	static const unsigned char bad[2] = {1, 2};
	static const double w[2] = {1, -1};
	static const double nan_w[2] = {1, NAN};
	vg_estimate e;

	(void)state;
	assert_int_equal(vg_est_proportion(y, NULL, 9, VG_Z95,
	    VG_SUPPRESS_DEFAULT, &e), VG_OK);
	assert_true(e.suppressed);
	assert_int_equal(e.n, 9);
	CLOSE(e.estimate, 0.0);
	CLOSE(e.ci_high, 0.0);
	assert_int_equal(vg_est_proportion(y, NULL, 0, VG_Z95, 0, &e),
	    VG_EINVAL);
	assert_int_equal(vg_est_proportion(bad, NULL, 2, VG_Z95, 0, &e),
	    VG_EINVAL);
	assert_int_equal(vg_est_proportion(y, w, 2, VG_Z95, 0, &e),
	    VG_EINVAL);
	assert_int_equal(vg_est_proportion(y, nan_w, 2, VG_Z95, 0, &e),
	    VG_EINVAL);
}

static void
test_difference(void **state)
{
	vg_estimate a = {100, 0.20, 0.05, 0, 0, false};
	vg_estimate b = {100, 0.35, 0.06, 0, 0, false};
	vg_difference d;

	(void)state;
	vg_est_difference(&a, &b, VG_Z95, &d);
	CLOSE(d.diff, 0.15);
	CLOSE(d.se, sqrt(0.05 * 0.05 + 0.06 * 0.06));
	assert_false(d.significant);           /* 0.15 ± 0.153 */
	b.estimate = 0.40;
	vg_est_difference(&a, &b, VG_Z95, &d);
	assert_true(d.significant);
	assert_true(d.ci_low > 0);
	b.suppressed = true;
	vg_est_difference(&a, &b, VG_Z95, &d);
	assert_false(d.significant);           /* nothing said of hidden cells */
}

static void
test_weights_summary(void **state)
{
	static const double w[4] = {1, 2, 3, 4};
	vg_weight_summary s;

	(void)state;
	vg_weights_summary(w, 4, &s);
	CLOSE(s.min, 1);
	CLOSE(s.max, 4);
	CLOSE(s.sum, 10);
	CLOSE(s.deff, 4.0 * 30.0 / 100.0);     /* n Σw² / (Σw)² */
}

static void
test_raking(void **state)
{
	/* Four units, one per cell of sex × age, equal start: raking to
	 * sex 60/40 and age 30/70 gives the product of the margins over the
	 * total, r·c/N: 18 42 12 28. */
	double w[4] = {1, 1, 1, 1};
	static const int sex[4] = {0, 0, 1, 1}, age[4] = {0, 1, 0, 1};
	const int *cat[2] = {sex, age};
	static const size_t ncat[2] = {2, 2};
	static const double ts[2] = {60, 40}, ta[2] = {30, 70};
	const double *target[2] = {ts, ta};
	size_t bv, bc;
	int it;

	(void)state;
	assert_int_equal(vg_rake(w, 4, 2, cat, ncat, target, 1e-12, 100, &it,
	    &bv, &bc), VG_OK);
	assert_true(fabs(w[0] - 18) < 1e-9 && fabs(w[1] - 42) < 1e-9 &&
	    fabs(w[2] - 12) < 1e-9 && fabs(w[3] - 28) < 1e-9);
	assert_true(it >= 1 && it <= 3);

	/* One variable: post-stratification, N_h / n_h. */
	{
		double p[3] = {1, 1, 1};
		static const int strata[3] = {0, 0, 1};
		const int *pc[1] = {strata};
		static const size_t pn[1] = {2};
		static const double pt[2] = {100, 50};
		const double *ptarget[1] = {pt};

		assert_int_equal(vg_rake(p, 3, 1, pc, pn, ptarget, 1e-12, 10,
		    &it, &bv, &bc), VG_OK);
		CLOSE(p[0], 50);
		CLOSE(p[1], 50);
		CLOSE(p[2], 50);
		assert_int_equal(it, 1);
	}
	/* A category to reach with nobody in it. */
	{
		double p[2] = {1, 1};
		static const int strata[2] = {0, 0};
		const int *pc[1] = {strata};
		static const size_t pn[1] = {2};
		static const double pt[2] = {10, 5};
		const double *ptarget[1] = {pt};

		assert_int_equal(vg_rake(p, 2, 1, pc, pn, ptarget, 1e-9, 10,
		    &it, &bv, &bc), VG_EINVAL);
		assert_int_equal(bv, 0);
		assert_int_equal(bc, 1);
	}
	/* Margins of different totals. */
	{
		static const double bad[2] = {50, 40};
		const double *t2[2] = {ts, bad};
		double p[4] = {1, 1, 1, 1};

		assert_int_equal(vg_rake(p, 4, 2, cat, ncat, t2, 1e-9, 10,
		    &it, &bv, &bc), VG_EINVAL);
		assert_int_equal(bv, 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wilson),
		cmocka_unit_test(test_weighted),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_suppression_and_bad_input),
		cmocka_unit_test(test_difference),
		cmocka_unit_test(test_weights_summary),
		cmocka_unit_test(test_raking),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
