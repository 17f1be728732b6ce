/*
 * chart.c — bars with whiskers in SVG (see chart.h).  Sizes are in the
 * SVG's own units; the page scales it to its width.
 */
#include "render/chart.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"

#define ROW 28
#define LABEL_W 190
#define BAR_W 300

static void
text(vg_buf *b, const char *s)
{
	vg_buf_put_html(b, s ? s : "", s ? strlen(s) : 0);
}

void
vg_chart_bars(vg_buf *b, const json_t *estimates, const char *label)
{
	size_t n = json_array_size(estimates), i;
	int h = (int)n * ROW + 30;
	json_t *e;

	vg_buf_printf(b, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/"
	    "svg\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
	    LABEL_W + BAR_W + 70, h);
	text(b, label);
	vg_buf_puts(b, "\">");
	/* The axis: 0, 50 %, 100 %. */
	for (i = 0; i <= 2; i++) {
		int x = LABEL_W + (int)i * BAR_W / 2;

		vg_buf_printf(b, "<line class=\"grid\" x1=\"%d\" y1=\"0\" "
		    "x2=\"%d\" y2=\"%d\"/><text class=\"tick\" x=\"%d\" "
		    "y=\"%d\" text-anchor=\"middle\">%d %%</text>", x, x,
		    h - 18, x, h - 4, (int)i * 50);
	}
	json_array_foreach(estimates, i, e) {
		int y = (int)i * ROW;
		double p = json_real_value(json_object_get(e, "estimate"));
		double lo = json_real_value(json_object_get(e, "ci_low"));
		double hi = json_real_value(json_object_get(e, "ci_high"));

		vg_buf_printf(b, "<text class=\"label\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"end\">", LABEL_W - 8, y + 18);
		text(b, json_string_value(json_object_get(e, "label")));
		vg_buf_puts(b, "</text>");
		if (json_is_true(json_object_get(e, "suppressed"))) {
			vg_buf_printf(b, "<text class=\"hidden-cell\" x=\"%d\" "
			    "y=\"%d\">", LABEL_W + 4, y + 18);
			text(b, _("masqué : trop peu de réponses"));
			vg_buf_puts(b, "</text>");
			continue;
		}
		/* Counted, not estimated: no interval. */
		if (!json_is_number(json_object_get(e, "ci_low")))
			lo = hi = p;
		lo = lo < 0 ? 0 : lo;
		hi = hi > 1 ? 1 : hi;
		vg_buf_printf(b, "<rect class=\"bar\" x=\"%d\" y=\"%d\" "
		    "width=\"%.1f\" height=\"%d\"/>", LABEL_W, y + 6,
		    p * BAR_W, ROW - 12);
		vg_buf_printf(b, "<line class=\"whisker\" x1=\"%.1f\" y1=\"%d\" "
		    "x2=\"%.1f\" y2=\"%d\"/><line class=\"whisker\" x1=\"%.1f\" "
		    "y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/><line class=\"whisker\" "
		    "x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>",
		    LABEL_W + lo * BAR_W, y + ROW / 2, LABEL_W + hi * BAR_W,
		    y + ROW / 2, LABEL_W + lo * BAR_W, y + 8,
		    LABEL_W + lo * BAR_W, y + ROW - 8, LABEL_W + hi * BAR_W,
		    y + 8, LABEL_W + hi * BAR_W, y + ROW - 8);
		vg_buf_printf(b, "<text class=\"value\" x=\"%.1f\" y=\"%d\">"
		    "%.0f %%</text>", LABEL_W + hi * BAR_W + 6, y + 18,
		    p * 100);
	}
	vg_buf_puts(b, "</svg>");
}

#define LINE_W 480
#define LINE_H 220
#define PAD 40

void
vg_chart_line(vg_buf *b, const json_t *points, const char *label)
{
	size_t n = json_array_size(points), i;
	double step = n > 1 ? (double)(LINE_W - 2 * PAD) / (double)(n - 1) : 0;
	bool open = false;
	json_t *p;

	vg_buf_printf(b, "<svg class=\"chart line\" xmlns=\"http://www.w3.org/"
	    "2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
	    LINE_W, LINE_H + 40);
	text(b, label);
	vg_buf_puts(b, "\">");
	for (i = 0; i <= 4; i++) {
		int y = LINE_H - (int)i * (LINE_H - 20) / 4;

		vg_buf_printf(b, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" "
		    "x2=\"%d\" y2=\"%d\"/><text class=\"tick\" x=\"4\" "
		    "y=\"%d\">%d %%</text>", PAD, y, LINE_W - 10, y, y + 4,
		    (int)i * 25);
	}
	vg_buf_puts(b, "<polyline class=\"trend\" points=\"");
	json_array_foreach(points, i, p) {
		double e = json_real_value(json_object_get(p, "estimate"));

		if (json_is_true(json_object_get(p, "suppressed")))
			continue;
		vg_buf_printf(b, "%s%.1f,%.1f", open ? " " : "", PAD + step *
		    (double)i, LINE_H - e * (LINE_H - 20));
		open = true;
	}
	vg_buf_puts(b, "\"/>");
	json_array_foreach(points, i, p) {
		double x = PAD + step * (double)i;
		double e = json_real_value(json_object_get(p, "estimate"));
		double lo = json_real_value(json_object_get(p, "ci_low"));
		double hi = json_real_value(json_object_get(p, "ci_high"));

		vg_buf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" "
		    "text-anchor=\"middle\">", x, LINE_H + 22);
		text(b, json_string_value(json_object_get(p, "label")));
		vg_buf_puts(b, "</text>");
		if (json_is_true(json_object_get(p, "suppressed")))
			continue;
		lo = lo < 0 ? 0 : lo;
		hi = hi > 1 ? 1 : hi;
		vg_buf_printf(b, "<line class=\"whisker\" x1=\"%.1f\" "
		    "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/><circle "
		    "class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>", x,
		    LINE_H - lo * (LINE_H - 20), x, LINE_H - hi * (LINE_H - 20),
		    x, LINE_H - e * (LINE_H - 20));
	}
	vg_buf_puts(b, "</svg>");
}
