/*
 * annual_pdf.c — the annual report drawn as an A4 PDF with cairo and
 * pango: a cover, a summary with the key figures, then one section a part
 * (indicators, changes, reports, notices, actions, method).
 *
 * The document is laid out twice: a first pass to a PDF that goes nowhere
 * learns where each section starts and how many pages there are, so that
 * the summary gives page numbers and the footers "page N sur M"; the
 * second pass is the file.  Both passes run the same code, so they break
 * pages at the same places.  A block (a chart, a table row, a line of
 * text, a heading with what follows) is never cut by a page break.
 *
 * The font is DejaVu Sans, found through fontconfig (Debian's
 * fonts-dejavu-core).  Every text is set with pango_layout_set_text, never
 * as markup: titles and names are data.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "barometer/annual_int.h"
#include "core/i18n.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>

/*
 * Fontconfig reads its configuration once per process, on the first font
 * asked for (pango does it in a thread of its own), and its XML parser
 * loses a few hundred bytes doing so.  Not ours to fix: the sanitizer
 * builds are told to overlook what libfontconfig itself loses, and keep
 * reporting everything else (a font map we forgot would show in pango
 * and glib).
 */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

/* And say nothing about it on standard error. */
const char *
__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif

#define PAGE_W 595.276          /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 56.7             /* 2 cm */
#define TOP 56.7
#define BOTTOM (PAGE_H - 72.0)  /* the footer lives below */
#define WIDTH (PAGE_W - 2 * MARGIN)
#define FONT "DejaVu Sans"

#define ROW_H 22.0              /* one bar of a chart */
#define LABEL_W 165.0           /* the bars' labels */
#define VALUE_W 120.0           /* the values right of the bars */

enum section {
	SEC_SUMMARY, SEC_INDICATORS, SEC_TRENDS, SEC_REPORTS, SEC_NOTICES,
	SEC_ACTIONS, SEC_METHOD, SEC_COUNT
};

struct doc {
	cairo_surface_t *surf;
	cairo_t *cr;
	PangoFontMap *fonts;      /* our own: freed with the document */
	PangoContext *pango;
	const json_t *data;
	int year;
	double y;                 /* where the next block goes */
	int page;                 /* the page being drawn, from 1 */
	int total;                /* pages, known in the second pass */
	int sec_page[SEC_COUNT];  /* where each section starts */
	const int *toc;           /* the first pass's sec_page, or NULL */
};

struct bar {
	const char *label;
	bool hidden;              /* not published: says so instead */
	const char *hidden_text;
	double value, lo, hi;     /* lo, hi: the interval when has_ci */
	bool has_ci;
	const char *value_text;
};

struct col {
	const char *title;
	double width;             /* points */
	bool right;               /* numbers are right-aligned */
};

/* --- text --------------------------------------------------------------- */

static const char *
str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static void
colour(cairo_t *cr, unsigned rgb)
{
	cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0,
	    ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

/* A layout of text (made valid UTF-8) in size points, wrapped at width
 * (0: one line).  Caller unrefs. */
static PangoLayout *
layout(struct doc *d, const char *text, double size, bool bold,
    bool italic, double width, PangoAlignment align)
{
	PangoLayout *l = pango_layout_new(d->pango);
	PangoFontDescription *fd = pango_font_description_new();
	gchar *valid = g_utf8_make_valid(text ? text : "", -1);

	pango_font_description_set_family(fd, FONT);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD :
	    PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(fd, italic ? PANGO_STYLE_OBLIQUE :
	    PANGO_STYLE_NORMAL);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, valid, -1);
	g_free(valid);
	return l;
}

static double
height_of(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Draw text at (x, y), top left; returns its height. */
static double
text_at(struct doc *d, double x, double y, double width, const char *text,
    double size, bool bold, bool italic, PangoAlignment align,
    unsigned rgb)
{
	PangoLayout *l = layout(d, text, size, bold, italic, width, align);
	double h = height_of(l);

	colour(d->cr, rgb);
	cairo_move_to(d->cr, x, y);
	pango_cairo_show_layout(d->cr, l);
	g_object_unref(l);
	return h;
}

static double
text_height(struct doc *d, const char *text, double size, bool bold,
    double width)
{
	PangoLayout *l = layout(d, text, size, bold, false, width,
	    PANGO_ALIGN_LEFT);
	double h = height_of(l);

	g_object_unref(l);
	return h;
}

/* --- pages -------------------------------------------------------------- */

static void
footer(struct doc *d)
{
	char text[256];

	if (d->page == 1)
		return;         /* the cover */
	if (d->total > 0)
		snprintf(text, sizeof(text), _("Rapport annuel de "
		    "l'observatoire %d — page %d sur %d"), d->year, d->page,
		    d->total);
	else
		snprintf(text, sizeof(text), _("Rapport annuel de "
		    "l'observatoire %d — page %d"), d->year, d->page);
	cairo_set_line_width(d->cr, 0.5);
	colour(d->cr, 0xbbbbbb);
	cairo_move_to(d->cr, MARGIN, PAGE_H - 52);
	cairo_line_to(d->cr, PAGE_W - MARGIN, PAGE_H - 52);
	cairo_stroke(d->cr);
	text_at(d, MARGIN, PAGE_H - 46, WIDTH, text, 8, false, false,
	    PANGO_ALIGN_CENTER, 0x555555);
}

static void
new_page(struct doc *d)
{
	footer(d);
	cairo_show_page(d->cr);
	d->page++;
	d->y = TOP;
}

/* Room for a block of h points, or a new page. */
static void
need(struct doc *d, double h)
{
	if (d->y + h > BOTTOM && d->y > TOP)
		new_page(d);
}

/* A paragraph, wrapped, broken between lines when the page is full. */
static void
para_ex(struct doc *d, const char *text, double size, bool bold,
    bool italic, unsigned rgb, double after)
{
	PangoLayout *l = layout(d, text, size, bold, italic, WIDTH,
	    PANGO_ALIGN_LEFT);
	PangoLayoutIter *it = pango_layout_get_iter(l);

	colour(d->cr, rgb);
	do {
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		PangoRectangle r;
		int base = pango_layout_iter_get_baseline(it);
		double h;

		pango_layout_iter_get_line_extents(it, NULL, &r);
		h = (double)r.height / PANGO_SCALE;
		need(d, h);
		colour(d->cr, rgb);
		cairo_move_to(d->cr, MARGIN + (double)r.x / PANGO_SCALE,
		    d->y + (double)(base - r.y) / PANGO_SCALE);
		pango_cairo_show_layout_line(d->cr, line);
		d->y += h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(l);
	d->y += after;
}

static void
para(struct doc *d, const char *text)
{
	para_ex(d, text, 10, false, false, 0x1a1a1a, 6);
}

/* A part of the report: on a page of its own, in the PDF's outline. */
static void
h1(struct doc *d, enum section sec, const char *text)
{
	double h;

	if (d->y > TOP)
		new_page(d);
	d->sec_page[sec] = d->page;
	if (d->toc != NULL) {
		char link[64];

		snprintf(link, sizeof(link), "page=%d pos=[0 0]", d->page);
		cairo_pdf_surface_add_outline(d->surf,
		    CAIRO_PDF_OUTLINE_ROOT, text, link, 0);
	}
	h = text_at(d, MARGIN, d->y, WIDTH, text, 20, true, false,
	    PANGO_ALIGN_LEFT, 0x1f3a5f);
	d->y += h + 4;
	cairo_set_line_width(d->cr, 1.5);
	colour(d->cr, 0x1f3a5f);
	cairo_move_to(d->cr, MARGIN, d->y);
	cairo_line_to(d->cr, PAGE_W - MARGIN, d->y);
	cairo_stroke(d->cr);
	d->y += 14;
}

/* A heading, kept with at least `keep` points of what follows. */
static void
h2(struct doc *d, const char *text, double keep)
{
	double h = text_height(d, text, 13, true, WIDTH);

	need(d, h + 10 + keep);
	if (d->y > TOP)
		d->y += 10;
	d->y += text_at(d, MARGIN, d->y, WIDTH, text, 13, true, false,
	    PANGO_ALIGN_LEFT, 0x1f3a5f) + 6;
}

/* --- tables ------------------------------------------------------------- */

static double
row_height(struct doc *d, const struct col *cols, size_t ncols,
    const json_t *row, bool bold)
{
	double h = 0, x;
	size_t i;

	for (i = 0; i < ncols; i++) {
		x = text_height(d, json_string_value(json_array_get(row, i)), 9,
		    bold, cols[i].width - 8);
		h = x > h ? x : h;
	}
	return h + 8;
}

static void
draw_row(struct doc *d, const struct col *cols, size_t ncols,
    const json_t *row, bool head, double h)
{
	double x = MARGIN;
	size_t i;

	if (head) {
		colour(d->cr, 0xe4e9f0);
		cairo_rectangle(d->cr, MARGIN, d->y, WIDTH, h);
		cairo_fill(d->cr);
	}
	for (i = 0; i < ncols; i++) {
		text_at(d, x + 4, d->y + 4, cols[i].width - 8,
		    json_string_value(json_array_get(row, i)), 9, head, false,
		    cols[i].right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT,
		    0x1a1a1a);
		x += cols[i].width;
	}
	d->y += h;
	cairo_set_line_width(d->cr, 0.5);
	colour(d->cr, 0xbbbbbb);
	cairo_move_to(d->cr, MARGIN, d->y);
	cairo_line_to(d->cr, MARGIN + WIDTH, d->y);
	cairo_stroke(d->cr);
}

/* A table of rows (arrays of texts, one a column); the columns' widths
 * are fractions of the page's.  A row is never cut; the header is drawn
 * again at the top of each page the table runs onto. */
static void
table(struct doc *d, const struct col *spec, size_t ncols, const json_t *rows)
{
	struct col cols[8];
	json_t *head = json_array(), *row;
	double hh, h;
	size_t i;
	int page;

	if (ncols > VG_ARRAY_LEN(cols))
		ncols = VG_ARRAY_LEN(cols);
	for (i = 0; i < ncols; i++) {
		cols[i] = spec[i];
		cols[i].width = spec[i].width * WIDTH;
		json_array_append_new(head, json_string(spec[i].title));
	}
	hh = row_height(d, cols, ncols, head, true);
	h = json_array_size(rows) ? row_height(d, cols, ncols,
	    json_array_get(rows, 0), false) : 0;
	need(d, hh + h);
	draw_row(d, cols, ncols, head, true, hh);
	json_array_foreach(rows, i, row) {
		h = row_height(d, cols, ncols, row, false);
		page = d->page;
		need(d, h);
		if (d->page != page) {
			need(d, hh + h);
			draw_row(d, cols, ncols, head, true, hh);
		}
		draw_row(d, cols, ncols, row, false, h);
	}
	json_decref(head);
	d->y += 10;
}

/* --- charts ------------------------------------------------------------- */

/* A step for about four ticks up to max: 1, 2 or 5 times a power of 10. */
static double
tick_step(double max)
{
	double raw = max / 4, p = pow(10, floor(log10(raw))), m = raw / p;

	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* One chart of n bars, never cut: horizontal bars from 0 to max, with the
 * interval as a whisker, the value on the right, and an axis with
 * labelled ticks below (percentages when percent). */
static void
chart_part(struct doc *d, const char *title, const char *axis,
    const struct bar *bars, size_t n, bool percent, double max)
{
	double th = text_height(d, title, 10, true, WIDTH);
	double x0 = MARGIN + LABEL_W + 8, x1 = MARGIN + WIDTH - VALUE_W;
	double plot_h = (double)n * ROW_H, y0, step, t;
	double ah = text_height(d, axis, 8, false, WIDTH);
	size_t i;
	char tick[64];

	need(d, th + 6 + plot_h + 22 + ah + 12);
	d->y += text_at(d, MARGIN, d->y, WIDTH, title, 10, true, false,
	    PANGO_ALIGN_LEFT, 0x1a1a1a) + 6;
	y0 = d->y;
	if (max <= 0)
		max = 1;
	step = percent ? 0.25 : tick_step(max);
	if (!percent)
		max = ceil(max / step) * step;
	/* The grid and the ticks. */
	cairo_set_line_width(d->cr, 0.5);
	for (t = 0; t <= max + 1e-9; t += step) {
		double x = x0 + (x1 - x0) * t / max;

		colour(d->cr, 0xcccccc);
		cairo_move_to(d->cr, x, y0);
		cairo_line_to(d->cr, x, y0 + plot_h + 3);
		cairo_stroke(d->cr);
		annual_fmt_number(percent ? t * 100 : t, 0, 0, tick,
		    sizeof(tick));
		if (percent)
			strcat(tick, "\xc2\xa0%");
		text_at(d, x - 30, y0 + plot_h + 5, 60, tick, 8, false, false,
		    PANGO_ALIGN_CENTER, 0x333333);
	}
	colour(d->cr, 0x333333);
	cairo_move_to(d->cr, x0, y0 + plot_h);
	cairo_line_to(d->cr, x1, y0 + plot_h);
	cairo_stroke(d->cr);
	for (i = 0; i < n; i++) {
		const struct bar *b = &bars[i];
		double yc = y0 + (double)i * ROW_H + ROW_H / 2;
		PangoLayout *l = layout(d, b->label, 9, false, false, LABEL_W,
		    PANGO_ALIGN_RIGHT);

		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pango_layout_set_height(l, 0);  /* one line */
		colour(d->cr, 0x1a1a1a);
		cairo_move_to(d->cr, MARGIN, yc - height_of(l) / 2);
		pango_cairo_show_layout(d->cr, l);
		g_object_unref(l);
		if (b->hidden) {
			text_at(d, x0 + 4, yc - 6, x1 - x0 + VALUE_W - 4,
			    b->hidden_text, 8.5, false, true, PANGO_ALIGN_LEFT,
			    0x666666);
			continue;
		}
		colour(d->cr, 0x4a78b0);
		cairo_rectangle(d->cr, x0, yc - ROW_H / 2 + 5,
		    (x1 - x0) * fmin(fmax(b->value, 0), max) / max, ROW_H - 10);
		cairo_fill(d->cr);
		if (b->has_ci) {
			double lo = x0 + (x1 - x0) * fmax(b->lo, 0) / max;
			double hi = x0 + (x1 - x0) * fmin(b->hi, max) / max;

			cairo_set_line_width(d->cr, 1.2);
			colour(d->cr, 0x111111);
			cairo_move_to(d->cr, lo, yc);
			cairo_line_to(d->cr, hi, yc);
			cairo_move_to(d->cr, lo, yc - 5);
			cairo_line_to(d->cr, lo, yc + 5);
			cairo_move_to(d->cr, hi, yc - 5);
			cairo_line_to(d->cr, hi, yc + 5);
			cairo_stroke(d->cr);
			cairo_set_line_width(d->cr, 0.5);
		}
		text_at(d, x1 + 6, yc - 6, VALUE_W - 6, b->value_text, 8.5,
		    false, false, PANGO_ALIGN_LEFT, 0x1a1a1a);
	}
	d->y = y0 + plot_h + 18;
	d->y += text_at(d, MARGIN, d->y, WIDTH, axis, 8, false, true,
	    PANGO_ALIGN_CENTER, 0x333333) + 12;
}

/* A chart of any length, in parts that each fit a page. */
static void
chart(struct doc *d, const char *title, const char *axis,
    const struct bar *bars, size_t n, bool percent, double max)
{
	size_t per = (size_t)((BOTTOM - TOP - 90) / ROW_H), i;

	for (i = 0; i < n || (n == 0 && i == 0); i += per)
		chart_part(d, title, axis, bars + i, n - i < per ? n - i : per,
		    percent, max);
}

/* --- helpers for the parts ---------------------------------------------- */

static json_t *
strings(size_t n, ...)
{
	json_t *row = json_array();
	va_list ap;
	size_t i;

	va_start(ap, n);
	for (i = 0; i < n; i++) {
		const char *s = va_arg(ap, const char *);

		json_array_append_new(row, json_string(s ? s : ""));
	}
	va_end(ap);
	return row;
}

static void
fmt_int(json_int_t v, char *out, size_t n)
{
	annual_fmt_number((double)v, 0, 0, out, n);
}

/* A survey cell as a bar. */
static void
cell_bar(struct bar *b, const char *label, const json_t *c)
{
	memset(b, 0, sizeof(*b));
	b->label = label;
	b->hidden = c == NULL || json_is_true(json_object_get(c, "suppressed"));
	b->hidden_text = c ? str(c, "text") : _("pas de réponses");
	if (b->hidden)
		return;
	b->value = json_real_value(json_object_get(c, "estimate"));
	b->lo = json_real_value(json_object_get(c, "ci_low"));
	b->hi = json_real_value(json_object_get(c, "ci_high"));
	b->has_ci = true;
	b->value_text = str(c, "percent");
}

static const char *const months[] = {
	N_("janvier"), N_("février"), N_("mars"), N_("avril"), N_("mai"),
	N_("juin"), N_("juillet"), N_("août"), N_("septembre"),
	N_("octobre"), N_("novembre"), N_("décembre"),
};

/* "2026-11-23" as "23 novembre 2026". */
static void
long_date(const char *iso, char *out, size_t n)
{
	int y, m, dd;

	if (sscanf(iso, "%d-%d-%d", &y, &m, &dd) != 3 || m < 1 || m > 12)
		snprintf(out, n, "%s", iso);
	else
		snprintf(out, n, "%d %s %d", dd, _(months[m - 1]), y);
}

static const char *
section_title(enum section s, int year, char *buf, size_t n)
{
	switch (s) {
	case SEC_SUMMARY:
		return _("Sommaire et chiffres clés");
	case SEC_INDICATORS:
		return _("Les indicateurs du baromètre");
	case SEC_TRENDS:
		snprintf(buf, n, _("L'évolution depuis %d"), year - 1);
		return buf;
	case SEC_REPORTS:
		return _("Les signalements reçus");
	case SEC_NOTICES:
		return _("Les notifications aux hébergeurs");
	case SEC_ACTIONS:
		return _("Les actions menées");
	case SEC_METHOD:
		return _("Méthode");
	default:
		return "";
	}
}

/* --- the parts ---------------------------------------------------------- */

static void
cover(struct doc *d)
{
	char title[160], date[64], line[256];

	snprintf(title, sizeof(title), _("Rapport annuel de l'observatoire "
	    "%d"), d->year);
	colour(d->cr, 0x1f3a5f);
	cairo_rectangle(d->cr, 0, 0, PAGE_W, 18);
	cairo_fill(d->cr);
	d->y = 230;
	d->y += text_at(d, MARGIN, d->y, WIDTH, title, 30, true, false,
	    PANGO_ALIGN_LEFT, 0x1f3a5f) + 24;
	d->y += text_at(d, MARGIN, d->y, WIDTH, str(d->data, "organisation"),
	    16, false, false, PANGO_ALIGN_LEFT, 0x1a1a1a) + 40;
	long_date(str(d->data, "generated"), date, sizeof(date));
	snprintf(line, sizeof(line), _("Document généré le %s"), date);
	d->y += text_at(d, MARGIN, d->y, WIDTH, line, 11, false, false,
	    PANGO_ALIGN_LEFT, 0x333333);
	snprintf(line, sizeof(line), _("Chaque chiffre d'enquête est donné "
	    "avec son effectif et son intervalle de confiance à 95 %% ; les "
	    "cases de moins de %d réponses ne sont pas publiées ; la méthode "
	    "est écrite à côté de chaque chiffre."), (int)json_integer_value(
	    json_object_get(d->data, "threshold")));
	text_at(d, MARGIN, PAGE_H - 140, WIDTH, line, 9, false, true,
	    PANGO_ALIGN_LEFT, 0x555555);
}

static void
summary(struct doc *d)
{
	static const struct col toc_cols[] = {
		{NULL, 0.85, false}, {NULL, 0.15, true},
	};
	static const struct col key_cols[] = {
		{N_("Chiffre"), 0.55, false}, {N_("Valeur"), 0.45, true},
	};
	struct col cols[2], kc[2];
	json_t *rows = json_array(), *ind, *rep, *act;
	char buf[160], page[32], v[128], w[160];
	size_t i;
	int s;

	h1(d, SEC_SUMMARY, _("Sommaire"));
	for (i = 0; i < 2; i++) {
		cols[i] = toc_cols[i];
		kc[i] = key_cols[i];
		kc[i].title = _(key_cols[i].title);
	}
	cols[0].title = _("Partie");
	cols[1].title = _("Page");
	for (s = SEC_INDICATORS; s < SEC_COUNT; s++) {
		if (d->toc != NULL)
			snprintf(page, sizeof(page), "%d", d->toc[s]);
		else
			snprintf(page, sizeof(page), "…");
		json_array_append_new(rows, strings(2, section_title(
		    (enum section)s, d->year, buf, sizeof(buf)), page));
	}
	table(d, cols, 2, rows);
	json_decref(rows);

	snprintf(buf, sizeof(buf), _("Chiffres clés de %d"), d->year);
	h2(d, buf, 60);
	rows = json_array();
	json_array_foreach(json_object_get(d->data, "indicators"), i, ind) {
		const json_t *c = json_object_get(ind, "current");

		if (c == NULL)
			snprintf(w, sizeof(w), "%s", _("pas de réponses cette "
			    "année"));
		else if (json_is_true(json_object_get(c, "suppressed")))
			snprintf(w, sizeof(w), "%s", str(c, "text"));
		else {
			fmt_int(json_integer_value(json_object_get(c, "n")), v,
			    sizeof(v));
			snprintf(w, sizeof(w), _("%s (n = %s)"), str(c,
			    "percent"), v);
		}
		json_array_append_new(rows, strings(2, str(ind, "title"), w));
	}
	rep = json_object_get(d->data, "reports");
	fmt_int(json_integer_value(json_object_get(rep, "reports")), v,
	    sizeof(v));
	json_array_append_new(rows, strings(2, _("Signalements reçus"), v));
	fmt_int(json_integer_value(json_object_get(json_object_get(rep,
	    "notices"), "sent")), v, sizeof(v));
	json_array_append_new(rows, strings(2, _("Notifications envoyées aux "
	    "hébergeurs"), v));
	fmt_int(json_integer_value(json_object_get(json_object_get(rep,
	    "removals"), "count")), v, sizeof(v));
	json_array_append_new(rows, strings(2, _("Contenus retirés après "
	    "notification"), v));
	{
		const json_t *rem = json_object_get(rep, "removals");

		json_array_append_new(rows, strings(2, _("Délai médian de "
		    "retrait"), json_integer_value(json_object_get(rem,
		    "count")) == 0 ? _("aucun retrait") : json_is_true(
		    json_object_get(rem, "suppressed")) ? str(rem, "text") :
		    str(rem, "median_hours_text")));
	}
	act = json_object_get(d->data, "actions");
	fmt_int(json_integer_value(json_object_get(json_object_get(act,
	    "totals"), "sessions")), v, sizeof(v));
	json_array_append_new(rows, strings(2, _("Sessions de formation "
	    "tenues"), v));
	fmt_int(json_integer_value(json_object_get(json_object_get(act,
	    "totals"), "people")), v, sizeof(v));
	json_array_append_new(rows, strings(2, _("Personnes formées"), v));
	table(d, kc, 2, rows);
	json_decref(rows);
}

/* The waves of an indicator as a sentence. */
static void
waves_line(struct doc *d, const json_t *waves, int year)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);
	json_t *w;

	if (f == NULL)
		return;
	fprintf(f, _("Vagues ouvertes en %d : "), year);
	json_array_foreach(waves, i, w)
		fprintf(f, _("%s« %s » (ouverte le %s)"), i ? ", " : "",
		    str(w, "name"), str(w, "opens"));
	fprintf(f, ".");
	fclose(f);
	para_ex(d, text, 9, false, false, 0x333333, 4);
	free(text);
}

/* "2026 : 32,1 % (IC 95 % : de … à …), n = 28, vague « … »." */
static void
figure_line(struct doc *d, int year, const json_t *waves, bool bold)
{
	const json_t *w = json_array_get(waves, json_array_size(waves) - 1);
	const json_t *c = json_object_get(w, "overall");
	char text[512], n[64];

	fmt_int(json_integer_value(json_object_get(c, "n")), n, sizeof(n));
	if (json_is_true(json_object_get(c, "suppressed")))
		snprintf(text, sizeof(text), _("%d : %s, vague « %s »."), year,
		    str(c, "text"), str(w, "name"));
	else
		snprintf(text, sizeof(text), _("%d : %s, n = %s, vague "
		    "« %s »."), year, str(c, "text"), n, str(w, "name"));
	para_ex(d, text, bold ? 11 : 10, bold, false, 0x1a1a1a, 4);
}

static void
breakdown(struct doc *d, const json_t *b, const char *wave)
{
	static const struct col spec[] = {
		{N_("Groupe"), 0.40, false}, {N_("Effectif (n)"), 0.14, true},
		{N_("Estimation"), 0.16, true},
		{N_("Intervalle de confiance à 95 %"), 0.30, true},
	};
	struct col cols[4];
	const json_t *est = json_object_get(b, "estimates"), *e;
	struct bar *bars = calloc(json_array_size(est) + 1, sizeof(*bars));
	json_t *rows = json_array();
	char title[256], n[64], lo[64], hi[64], ci[160];
	int threshold = (int)json_integer_value(json_object_get(d->data,
	    "threshold"));
	size_t i;

	if (bars == NULL) {
		json_decref(rows);
		return;
	}
	snprintf(title, sizeof(title), _("Selon « %s » (vague « %s »)"),
	    str(b, "label"), wave);
	json_array_foreach(est, i, e) {
		cell_bar(&bars[i], str(e, "label"), e);
		if (json_is_true(json_object_get(e, "suppressed"))) {
			snprintf(n, sizeof(n), _("moins de %d"), threshold);
			json_array_append_new(rows, strings(4, str(e, "label"),
			    n, _("non publié"), "—"));
			continue;
		}
		fmt_int(json_integer_value(json_object_get(e, "n")), n,
		    sizeof(n));
		annual_fmt_percent(json_real_value(json_object_get(e,
		    "ci_low")), lo, sizeof(lo));
		annual_fmt_percent(json_real_value(json_object_get(e,
		    "ci_high")), hi, sizeof(hi));
		snprintf(ci, sizeof(ci), _("de %s à %s"), lo, hi);
		json_array_append_new(rows, strings(4, str(e, "label"), n,
		    str(e, "percent"), ci));
	}
	chart(d, title, _("Part des réponses (en %) ; barre : estimation, "
	    "trait : intervalle de confiance à 95 %"), bars,
	    json_array_size(est), true, 1.0);
	for (i = 0; i < VG_ARRAY_LEN(spec); i++) {
		cols[i] = spec[i];
		cols[i].title = _(spec[i].title);
	}
	table(d, cols, 4, rows);
	json_decref(rows);
	free(bars);
}

static void
indicator(struct doc *d, const json_t *ind)
{
	const json_t *now = json_object_get(ind, "waves");
	const json_t *before = json_object_get(ind, "previous_waves");
	const json_t *w, *b;
	struct bar *bars;
	char text[600], label[200];
	size_t i, nb = 0;

	h2(d, str(ind, "title"), 120);
	if (json_array_size(now) == 0) {
		snprintf(text, sizeof(text), _("Aucune vague de ce "
		    "questionnaire n'a reçu de réponses en %d : pas de "
		    "chiffre cette année."), d->year);
		para(d, text);
	} else {
		waves_line(d, now, d->year);
		figure_line(d, d->year, now, true);
	}
	if (json_array_size(before) > 0)
		figure_line(d, d->year - 1, before, false);
	if (json_array_size(now) > 0)
		para(d, str(json_object_get(ind, "change"), "text"));
	/* Every wave of the two years side by side. */
	bars = calloc(json_array_size(now) + json_array_size(before) + 1,
	    sizeof(*bars));
	if (bars != NULL && json_array_size(now) + json_array_size(before) >
	    0) {
		json_t *names = json_array();

		json_array_foreach(before, i, w) {
			json_array_append_new(names, json_string(str(w,
			    "name")));
			cell_bar(&bars[nb++], NULL, json_object_get(w,
			    "overall"));
		}
		json_array_foreach(now, i, w) {
			json_array_append_new(names, json_string(str(w,
			    "name")));
			cell_bar(&bars[nb++], NULL, json_object_get(w,
			    "overall"));
		}
		for (i = 0; i < nb; i++)
			bars[i].label = json_string_value(json_array_get(names,
			    i));
		snprintf(label, sizeof(label), _("%s : chaque vague de %d et "
		    "%d"), str(ind, "title"), d->year - 1, d->year);
		chart(d, label, _("Part des réponses (en %) ; barre : "
		    "estimation, trait : intervalle de confiance à 95 %"),
		    bars, nb, true, 1.0);
		json_decref(names);
	}
	free(bars);
	json_array_foreach(json_object_get(ind, "breakdowns"), i, b)
		breakdown(d, b, str(json_array_get(now, json_array_size(now) -
		    1), "name"));
	snprintf(text, sizeof(text), _("Méthode : %s"), str(ind, "method"));
	para_ex(d, text, 9, false, true, 0x333333, 8);
}

static void
indicators(struct doc *d)
{
	const json_t *list = json_object_get(d->data, "indicators"), *ind;
	char text[400], buf[160];
	size_t i;

	h1(d, SEC_INDICATORS, section_title(SEC_INDICATORS, d->year, buf,
	    sizeof(buf)));
	if (json_is_true(json_object_get(json_object_get(d->data, "empty"),
	    "indicators"))) {
		snprintf(text, sizeof(text), _("Aucune vague d'enquête n'a "
		    "reçu de réponses en %d : le baromètre ne publie aucun "
		    "chiffre pour cette année."), d->year);
		para(d, text);
	}
	json_array_foreach(list, i, ind)
		indicator(d, ind);
}

static void
trends(struct doc *d)
{
	static const struct col spec[] = {
		{N_("Indicateur"), 0.28, false}, {NULL, 0.13, true},
		{NULL, 0.13, true}, {N_("Écart (IC 95 %)"), 0.24, true},
		{N_("Conclusion"), 0.22, false},
	};
	struct col cols[5];
	const json_t *list = json_object_get(d->data, "indicators"), *ind;
	json_t *rows = json_array();
	struct bar bars[2];
	char buf[160], y0[16], y1[16], text[600];
	size_t i;

	h1(d, SEC_TRENDS, section_title(SEC_TRENDS, d->year, buf,
	    sizeof(buf)));
	snprintf(text, sizeof(text), _("Pour chaque indicateur, le chiffre "
	    "de la dernière vague de %d est comparé à celui de la dernière "
	    "vague de %d. Une évolution n'est dite significative que si "
	    "l'intervalle de confiance à 95 %% de l'écart ne contient pas "
	    "zéro ; sinon, l'écart peut venir du hasard de l'échantillon."),
	    d->year, d->year - 1);
	para(d, text);
	snprintf(y0, sizeof(y0), "%d", d->year - 1);
	snprintf(y1, sizeof(y1), "%d", d->year);
	for (i = 0; i < VG_ARRAY_LEN(spec); i++) {
		cols[i] = spec[i];
		cols[i].title = spec[i].title ? _(spec[i].title) : NULL;
	}
	cols[1].title = y0;
	cols[2].title = y1;
	json_array_foreach(list, i, ind) {
		const json_t *a = json_object_get(ind, "previous");
		const json_t *b = json_object_get(ind, "current");
		const json_t *ch = json_object_get(ind, "change");
		char diff[160], lo[64], hi[64], dv[64];
		const char *verdict;

		if (json_is_true(json_object_get(ch, "available"))) {
			annual_fmt_number(json_real_value(json_object_get(ch,
			    "difference")) * 100, 1, 1, dv, sizeof(dv));
			annual_fmt_number(json_real_value(json_object_get(ch,
			    "ci_low")) * 100, 1, 1, lo, sizeof(lo));
			annual_fmt_number(json_real_value(json_object_get(ch,
			    "ci_high")) * 100, 1, 1, hi, sizeof(hi));
			snprintf(diff, sizeof(diff), _("%s points (de %s à "
			    "%s)"), dv, lo, hi);
			const char *dir = str(ch, "direction");

			verdict = !strcmp(dir, "hausse") ?
			    _("hausse significative") : !strcmp(dir, "baisse") ?
			    _("baisse significative") :
			    _("pas d'évolution démontrée");
		} else {
			snprintf(diff, sizeof(diff), "—");
			verdict = _("pas de comparaison possible");
		}
		json_array_append_new(rows, strings(5, str(ind, "title"),
		    a == NULL ? _("pas de chiffre") : json_is_true(
		    json_object_get(a, "suppressed")) ? _("non publié") :
		    str(a, "percent"), b == NULL ? _("pas de chiffre") :
		    json_is_true(json_object_get(b, "suppressed")) ?
		    _("non publié") : str(b, "percent"), diff, verdict));
	}
	if (json_array_size(list) == 0)
		para(d, _("Aucun indicateur d'enquête n'est défini."));
	else
		table(d, cols, 5, rows);
	json_decref(rows);
	/* Each indicator's two years side by side. */
	json_array_foreach(list, i, ind) {
		const json_t *a = json_object_get(ind, "previous");
		const json_t *b = json_object_get(ind, "current");

		if (a == NULL && b == NULL)
			continue;
		cell_bar(&bars[0], y0, a);
		cell_bar(&bars[1], y1, b);
		chart(d, str(ind, "title"), _("Part des réponses (en %) ; "
		    "barre : estimation, trait : intervalle de confiance à 95 "
		    "%"),
		    bars, 2, true, 1.0);
	}
}

/* A table (and, for categories, a chart) of report counts. */
static void
report_groups(struct doc *d, const char *title, const char *chart_title,
    const char *head, const json_t *groups, json_int_t total, bool draw)
{
	struct col cols[3] = {
		{head, 0.66, false}, {_("Signalements"), 0.17, true},
		{_("Part"), 0.17, true},
	};
	json_t *rows = json_array(), *g;
	struct bar *bars = calloc(json_array_size(groups) + 1, sizeof(*bars));
	char n[64], pct[64];
	double max = 0;
	size_t i;

	h2(d, title, 60);
	json_array_foreach(groups, i, g) {
		json_int_t c = json_integer_value(json_object_get(g, "count"));
		bool hidden = json_is_true(json_object_get(g, "suppressed"));

		if (hidden) {
			json_array_append_new(rows, strings(3, str(g, "label"),
			    str(g, "text"), "—"));
		} else {
			fmt_int(c, n, sizeof(n));
			annual_fmt_percent(total ? (double)c / (double)total :
			    0, pct, sizeof(pct));
			json_array_append_new(rows, strings(3, str(g, "label"),
			    n, pct));
			max = (double)c > max ? (double)c : max;
		}
		if (bars != NULL) {
			bars[i].label = str(g, "label");
			bars[i].hidden = hidden;
			bars[i].hidden_text = str(g, "text");
			bars[i].value = (double)c;
			bars[i].value_text = json_string_value(json_array_get(
			    json_array_get(rows, i), 1));
		}
	}
	if (draw && bars != NULL && json_array_size(groups) > 0)
		chart(d, chart_title, _("Nombre de signalements reçus dans "
		    "l'année (tous sont comptés : pas d'échantillon, donc pas "
		    "d'intervalle)"), bars, json_array_size(groups), false,
		    max);
	table(d, cols, 3, rows);
	free(bars);
	json_decref(rows);
}

static void
reports(struct doc *d)
{
	const json_t *rep = json_object_get(d->data, "reports");
	const json_t *rem = json_object_get(rep, "removals");
	json_int_t total = json_integer_value(json_object_get(rep, "reports"));
	char text[600], n[64], buf[160];

	h1(d, SEC_REPORTS, section_title(SEC_REPORTS, d->year, buf,
	    sizeof(buf)));
	if (total == 0) {
		snprintf(text, sizeof(text), _("Aucun signalement n'a été reçu "
		    "en %d."), d->year);
		para(d, text);
	} else {
		fmt_int(total, n, sizeof(n));
		snprintf(text, sizeof(text), _("Signalements reçus en %d : "
		    "%s. Les groupes de moins de %d signalements ne sont pas "
		    "publiés."), d->year, n, (int)json_integer_value(
		    json_object_get(d->data, "threshold")));
		para(d, text);
		report_groups(d, _("Par catégorie"), _("Signalements de "
		    "l'année par catégorie"), _("Catégorie"),
		    json_object_get(rep, "by_category"), total, true);
		report_groups(d, _("Par plateforme"), NULL, _("Plateforme "
		    "(première adresse signalée)"), json_object_get(rep,
		    "by_platform"), total, false);
		report_groups(d, _("Par issue"), NULL, _("Issue"),
		    json_object_get(rep, "by_outcome"), total, false);
	}
	h2(d, _("Délai de retrait"), 40);
	if (json_integer_value(json_object_get(rem, "count")) == 0) {
		snprintf(text, sizeof(text), _("Aucun contenu n'a été retiré "
		    "après une notification envoyée en %d."), d->year);
	} else if (json_is_true(json_object_get(rem, "suppressed"))) {
		fmt_int(json_integer_value(json_object_get(rem, "count")), n,
		    sizeof(n));
		snprintf(text, sizeof(text), _("Contenus retirés après "
		    "notification : %s ; délai : %s."), n, str(rem, "text"));
	} else {
		fmt_int(json_integer_value(json_object_get(rem, "count")), n,
		    sizeof(n));
		snprintf(text, sizeof(text), _("Contenus retirés après "
		    "notification : %s. Délai médian de retrait : %s (premier "
		    "quartile : %s ; troisième quartile : %s), de l'envoi de "
		    "la notification à la réponse de l'hébergeur."), n, str(rem,
		    "median_hours_text"), str(rem, "q1_hours_text"), str(rem,
		    "q3_hours_text"));
	}
	para(d, text);
}

static void
notices(struct doc *d)
{
	static const struct {
		const char *key, *label;
	} lines[] = {
		{"sent", N_("Notifications envoyées")},
		{"answered", N_("Réponses reçues des hébergeurs")},
		{"removed", N_("Contenus retirés")},
		{"refused", N_("Retraits refusés")},
		{"overdue", N_("Sans réponse, délai dépassé")},
		{"pending", N_("Sans réponse, dans le délai")},
	};
	struct col cols[2] = {{_("Notifications de l'année"), 0.7, false},
	    {_("Nombre"), 0.3, true}};
	const json_t *rep = json_object_get(d->data, "reports");
	const json_t *no = json_object_get(rep, "notices");
	const json_t *rem = json_object_get(rep, "removals");
	json_t *rows = json_array();
	char text[400], n[64], buf[160];
	size_t i;

	h1(d, SEC_NOTICES, section_title(SEC_NOTICES, d->year, buf,
	    sizeof(buf)));
	para(d, _("Les notifications de contenus illicites envoyées aux "
	    "hébergeurs en tant que signaleur de confiance (règlement sur les "
	    "services numériques, articles 16 et 22), comptées à leur date "
	    "d'envoi."));
	if (json_integer_value(json_object_get(no, "sent")) == 0) {
		snprintf(text, sizeof(text), _("Aucune notification n'a été "
		    "envoyée en %d."), d->year);
		para(d, text);
		json_decref(rows);
		return;
	}
	for (i = 0; i < VG_ARRAY_LEN(lines); i++) {
		fmt_int(json_integer_value(json_object_get(no, lines[i].key)),
		    n, sizeof(n));
		json_array_append_new(rows, strings(2, _(lines[i].label), n));
	}
	json_array_append_new(rows, strings(2, _("Délai médian de retrait"),
	    json_integer_value(json_object_get(rem, "count")) == 0 ?
	    _("aucun retrait") : json_is_true(json_object_get(rem,
	    "suppressed")) ? str(rem, "text") : str(rem,
	    "median_hours_text")));
	table(d, cols, 2, rows);
	json_decref(rows);
}

static void
actions(struct doc *d)
{
	struct col cols[4] = {
		{_("Département"), 0.46, false}, {_("Sessions"), 0.16, true},
		{_("Personnes formées"), 0.2, true},
		{_("Heures-personnes"), 0.18, true},
	};
	struct col wc[2] = {{_("Vague d'enquête"), 0.75, false},
	    {_("Réponses"), 0.25, true}};
	const json_t *act = json_object_get(d->data, "actions");
	const json_t *tot = json_object_get(act, "totals"), *r;
	json_t *rows = json_array();
	char text[600], s[64], p[64], h[64], name[200], buf[160];
	size_t i;

	h1(d, SEC_ACTIONS, section_title(SEC_ACTIONS, d->year, buf,
	    sizeof(buf)));
	h2(d, _("Formations"), 40);
	if (json_integer_value(json_object_get(tot, "sessions")) == 0) {
		snprintf(text, sizeof(text), _("Aucune session de formation "
		    "n'a eu lieu en %d."), d->year);
		para(d, text);
	} else {
		fmt_int(json_integer_value(json_object_get(tot, "sessions")),
		    s, sizeof(s));
		fmt_int(json_integer_value(json_object_get(tot, "people")), p,
		    sizeof(p));
		annual_fmt_number(atof(str(tot, "hours")), 1, 0, h, sizeof(h));
		snprintf(text, sizeof(text), _("Sessions de formation tenues "
		    ": %s ; personnes formées (présentes) : %s ; heures-"
		    "personnes de formation : %s."), s, p, h);
		para(d, text);
		json_array_foreach(json_object_get(act, "rows"), i, r) {
			if (json_is_string(json_object_get(r, "departement")))
				snprintf(name, sizeof(name), "%s (%s)", str(r,
				    "name"), str(r, "departement"));
			else
				snprintf(name, sizeof(name), "%s", str(r,
				    "name"));
			fmt_int(json_integer_value(json_object_get(r,
			    "sessions")), s, sizeof(s));
			fmt_int(json_integer_value(json_object_get(r,
			    "people")), p, sizeof(p));
			annual_fmt_number(atof(str(r, "hours")), 1, 0, h,
			    sizeof(h));
			json_array_append_new(rows, strings(4, name, s, p, h));
		}
		table(d, cols, 4, rows);
	}
	json_decref(rows);
	h2(d, _("Enquêtes"), 40);
	if (json_array_size(json_object_get(act, "waves")) == 0) {
		snprintf(text, sizeof(text), _("Aucune vague d'enquête n'a été "
		    "ouverte en %d."), d->year);
		para(d, text);
	} else {
		rows = json_array();
		json_array_foreach(json_object_get(act, "waves"), i, r) {
			snprintf(name, sizeof(name), "%s — %s", str(r,
			    "questionnaire"), str(r, "name"));
			fmt_int(json_integer_value(json_object_get(r,
			    "answers")), s, sizeof(s));
			json_array_append_new(rows, strings(2, name, s));
		}
		table(d, wc, 2, rows);
		json_decref(rows);
	}
	h2(d, _("Ressources"), 30);
	fmt_int(json_integer_value(json_object_get(act, "resources")), s,
	    sizeof(s));
	snprintf(text, sizeof(text), _("Ressources ajoutées en %d et "
	    "publiées : %s."), d->year, s);
	para(d, text);
}

static void
method(struct doc *d)
{
	char text[1200], date[64], buf[160];
	int threshold = (int)json_integer_value(json_object_get(d->data,
	    "threshold"));

	h1(d, SEC_METHOD, section_title(SEC_METHOD, d->year, buf,
	    sizeof(buf)));
	h2(d, _("Intervalles de confiance"), 40);
	para(d, _("Chaque chiffre d'enquête est une estimation tirée d'un "
	    "échantillon : il est donné avec son effectif (n, les réponses "
	    "comptées) et son intervalle de confiance à 95 %. Pour des "
	    "réponses non pondérées, c'est l'intervalle de Wilson ; pour des "
	    "réponses pondérées par calage, l'intervalle de Wald sur l'erreur "
	    "type linéarisée (comme le paquet survey de R). La méthode propre "
	    "à chaque indicateur est écrite sous son chiffre."));
	h2(d, _("Cases non publiées"), 40);
	snprintf(text, sizeof(text), _("Une case de moins de %d réponses "
	    "n'est jamais publiée : elle est marquée « non publié » et son "
	    "chiffre n'apparaît nulle part. Il en va de même des groupes de "
	    "moins de %d signalements et du délai de retrait quand il y a "
	    "moins de %d retraits (un délai médian dirait alors la réponse "
	    "d'un seul hébergeur). Les totaux de l'année sont publiés."),
	    threshold, threshold, threshold);
	para(d, text);
	h2(d, _("Évolutions"), 40);
	para(d, _("Le chiffre d'une année est celui de la dernière vague "
	    "ouverte cette année-là. Deux vagues sont deux échantillons "
	    "indépendants : l'écart entre elles a pour intervalle de "
	    "confiance à 95 % l'écart ± 1,96 × √(se₁² + se₂²). Une hausse "
	    "ou une baisse n'est annoncée que si cet intervalle exclut zéro ; "
	    "sinon le rapport dit qu'on ne peut pas conclure. Quand l'année "
	    "précédente n'a pas de vague, ou que l'un des deux chiffres n'est "
	    "pas publié, il n'y a pas de comparaison."));
	h2(d, _("Périodes et définitions"), 40);
	snprintf(text, sizeof(text), _("L'année %d va du 1er janvier au 31 "
	    "décembre (heure UTC). Une vague compte dans l'année de son "
	    "ouverture ; une formation, dans celle de sa session (sessions "
	    "terminées seulement, personnes marquées présentes) ; un "
	    "signalement, dans celle de sa réception ; une notification, dans "
	    "celle de son envoi. Le délai de retrait va de l'envoi de la "
	    "notification à la réponse « retiré » de l'hébergeur ; ses "
	    "quartiles sont interpolés entre les deux valeurs les plus "
	    "proches (type 7 de R). La plateforme d'un signalement est celle "
	    "de sa première adresse."), d->year);
	para(d, text);
	long_date(str(d->data, "generated"), date, sizeof(date));
	snprintf(text, sizeof(text), _("Chiffres arrêtés le %s, tirés de la "
	    "base de Vigie : des comptes et des estimations seulement, "
	    "aucune donnée personnelle."), date);
	para(d, text);
}

/* --- the document ------------------------------------------------------- */

static cairo_status_t
to_file(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS :
	    CAIRO_STATUS_WRITE_ERROR;
}

/* Lay the document out on surf: every page, in order. */
static cairo_status_t
draw(struct doc *d)
{
	cairo_font_options_t *fo;
	cairo_status_t st;

	d->cr = cairo_create(d->surf);
	d->pango = pango_font_map_create_context(d->fonts);
	pango_cairo_update_context(d->cr, d->pango);
	/* Metrics as designed, not hinted: both passes lay out alike. */
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(d->pango, fo);
	cairo_font_options_destroy(fo);
	d->page = 1;
	d->y = TOP;
	cover(d);
	summary(d);
	indicators(d);
	trends(d);
	reports(d);
	notices(d);
	actions(d);
	method(d);
	footer(d);
	cairo_show_page(d->cr);
	st = cairo_status(d->cr);
	g_object_unref(d->pango);
	cairo_destroy(d->cr);
	d->cr = NULL;
	d->pango = NULL;
	return st;
}

static void
metadata(cairo_surface_t *surf, const json_t *data, int year)
{
	char title[160], date[40];

	snprintf(title, sizeof(title), _("Rapport annuel de l'observatoire "
	    "%d"), year);
	snprintf(date, sizeof(date), "%sZ", str(data, "generated_at"));
	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_AUTHOR,
	    str(data, "organisation"));
	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_SUBJECT,
	    _("Indicateurs du baromètre, signalements, notifications et "
	    "actions de l'année"));
	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR,
	    "Vigie");
	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE,
	    date);
}

vg_rc
annual_pdf_write(const json_t *data, const char *path, int *pages,
    int64_t *size, char *err, size_t errlen)
{
	struct doc first, d;
	char *tmp = NULL;
	FILE *f = NULL;
	struct stat sb;
	cairo_status_t st;
	int fd = -1;
	size_t len = strlen(path);

	*pages = 0;
	*size = 0;
	/* First pass: nowhere, to learn the pages. */
	memset(&first, 0, sizeof(first));
	first.data = data;
	first.year = (int)json_integer_value(json_object_get(data, "year"));
	/* A font map of our own rather than pango's default one, which
	 * would live on, per thread, after the document. */
	if ((first.fonts = pango_cairo_font_map_new()) == NULL)
		return VG_ENOMEM;
	first.surf = cairo_pdf_surface_create_for_stream(NULL, NULL, PAGE_W,
	    PAGE_H);
	st = draw(&first);
	cairo_surface_finish(first.surf);
	cairo_surface_destroy(first.surf);
	if (st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, _("le dessin du rapport a échoué (%s)"),
		    cairo_status_to_string(st));
		g_object_unref(first.fonts);
		return VG_EIO;
	}
	/* Second pass: a temporary file next to path, renamed once whole. */
	if ((tmp = malloc(len + 16)) == NULL) {
		g_object_unref(first.fonts);
		return VG_ENOMEM;
	}
	snprintf(tmp, len + 16, "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0 || (f = fdopen(fd, "wb")) == NULL) {
		snprintf(err, errlen, _("impossible d'écrire à côté de %s "
		    "(%s)"), path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		g_object_unref(first.fonts);
		return VG_EIO;
	}
	(void)fchmod(fd, 0644);
	memset(&d, 0, sizeof(d));
	d.data = data;
	d.year = first.year;
	d.total = first.page;
	d.toc = first.sec_page;
	d.fonts = first.fonts;
	d.surf = cairo_pdf_surface_create_for_stream(to_file, f, PAGE_W,
	    PAGE_H);
	metadata(d.surf, data, d.year);
	st = draw(&d);
	cairo_surface_finish(d.surf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(d.surf);
	cairo_surface_destroy(d.surf);
	g_object_unref(d.fonts);
	if (st != CAIRO_STATUS_SUCCESS || fflush(f) != 0 || fsync(fd) != 0) {
		snprintf(err, errlen, _("l'écriture de %s a échoué (%s)"), path,
		    st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st) :
		    strerror(errno));
		goto fail;
	}
	if (fclose(f) != 0) {
		f = NULL;
		snprintf(err, errlen, _("l'écriture de %s a échoué (%s)"), path,
		    strerror(errno));
		goto fail;
	}
	f = NULL;
	if (rename(tmp, path) != 0) {
		snprintf(err, errlen, _("impossible de nommer le fichier %s "
		    "(%s)"), path, strerror(errno));
		goto fail;
	}
	free(tmp);
	*pages = d.page;
	if (stat(path, &sb) == 0)
		*size = (int64_t)sb.st_size;
	return VG_OK;
fail:
	if (f != NULL)
		fclose(f);
	unlink(tmp);
	free(tmp);
	return VG_EIO;
}
