/*
 * chart.c — bars with whiskers in SVG (see chart.h).  Sizes are in the
 * SVG's own units; the page scales it to its width.
 */
#include "render/chart.h"

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
			text(b, _("masqué : moins de 10 réponses"));
			vg_buf_puts(b, "</text>");
			continue;
		}
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
