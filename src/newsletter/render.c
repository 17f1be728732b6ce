/*
 * render.c — an issue shown three ways from the same resolved blocks: the
 * web version (with the barometer's charts), the mail's text part, and
 * its HTML part (template "newsletter_mail", inline styles).
 *
 * The mail loads nothing from anywhere: no image, no pixel, no font.  A
 * Markdown image becomes a plain link to it, in the mail and on the web
 * alike, so that an editor cannot add a tracker by accident.
 */
#define _GNU_SOURCE             /* asprintf */
#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/mail.h"
#include "newsletter/newsletter_int.h"
#include "render/chart.h"

/* Markdown to HTML in cmark's safe mode, every image turned into a link
 * to it.  Caller frees. */
static char *
markdown_html(const char *md)
{
	cmark_node *doc, *n, **images = NULL;
	cmark_iter *it;
	cmark_event_type ev;
	size_t count = 0, cap = 0, i;
	char *html = NULL;

	if ((doc = cmark_parse_document(md, strlen(md),
	    CMARK_OPT_DEFAULT | CMARK_OPT_SMART)) == NULL)
		return NULL;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_IMAGE)
			continue;
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			cmark_node **p = realloc(images, ncap * sizeof(*p));

			if (p == NULL)
				goto out;
			images = p;
			cap = ncap;
		}
		images[count++] = n;
	}
	for (i = 0; i < count; i++) {
		cmark_node *img = images[i], *link, *child;

		if ((link = cmark_node_new(CMARK_NODE_LINK)) == NULL)
			goto out;
		cmark_node_set_url(link, cmark_node_get_url(img));
		cmark_node_set_title(link, cmark_node_get_title(img));
		while ((child = cmark_node_first_child(img)) != NULL)
			cmark_node_append_child(link, child);
		if (cmark_node_first_child(link) == NULL) {
			cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);

			cmark_node_set_literal(t, _("image"));
			cmark_node_append_child(link, t);
		}
		cmark_node_insert_before(img, link);
		cmark_node_free(img);
	}
	html = cmark_render_html(doc, CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
out:
	cmark_iter_free(it);
	cmark_node_free(doc);
	free(images);
	return html;
}

static const char *
heading_of(const char *kind)
{
	if (!strcmp(kind, "watch"))
		return _("Dans la veille de l'observatoire");
	if (!strcmp(kind, "barometer"))
		return _("Le baromètre en chiffres");
	if (!strcmp(kind, "resources"))
		return _("Nouvelles ressources");
	if (!strcmp(kind, "trainings"))
		return _("Formations à venir");
	return NULL;
}

/* The barometer's chart of one indicator: its waves when there are two
 * or more, else the latest figure alone. */
static void
chart(json_t *ind)
{
	json_t *trend = json_object_get(ind, "trend");
	const char *title = json_string_value(json_object_get(ind, "title"));
	vg_buf svg = VG_BUF_INIT;

	if (json_array_size(trend) > 1) {
		vg_chart_line(&svg, trend, title);
	} else if (json_is_number(json_object_get(ind, "estimate")) &&
	    !json_is_true(json_object_get(ind, "suppressed"))) {
		json_t *one = json_pack("[{s:s, s:O, s:O, s:O, s:b}]", "label",
		    json_string_value(json_object_get(ind, "wave")) ?
		    json_string_value(json_object_get(ind, "wave")) : "",
		    "estimate", json_object_get(ind, "estimate"), "ci_low",
		    json_object_get(ind, "ci_low"), "ci_high",
		    json_object_get(ind, "ci_high"), "suppressed", 0);

		vg_chart_bars(&svg, one, title);
		json_decref(one);
	}
	if (svg.data != NULL && !vg_buf_failed(&svg))
		json_object_set_new(ind, "chart_svg", json_string(svg.data));
	vg_buf_free(&svg);
}

json_t *
nl_view(const vg_config *c, const json_t *issue, const json_t *content,
    bool charts)
{
	json_t *view, *blocks = json_array(), *b, *is;
	const char *url = json_string_value(json_object_get(issue, "url"));
	size_t i;

	is = json_deep_copy(issue);
	json_object_del(is, "content");
	view = json_pack("{s:o, s:o, s:s, s:s}", "issue", is, "blocks", blocks,
	    "base", c->public_url, "organisation", c->notifier_name[0] ?
	    c->notifier_name : "Vigie");
	if (view == NULL)
		return NULL;
	json_object_set_new(view, "web_url", json_string(url ?
	    url : "/lettre/archives"));
	json_array_foreach(content, i, b) {
		const char *kind = json_string_value(json_object_get(b, "kind"));
		json_t *data = json_object_get(b, "content"), *o;
		char flag[32];

		if (kind == NULL || nl_kind_label(kind) == NULL)
			continue;
		o = json_deep_copy(data);
		if (!json_is_object(o)) {
			json_decref(o);
			o = json_object();
		}
		snprintf(flag, sizeof(flag), "is_%s", kind);
		json_object_set_new(o, flag, json_true());
		json_object_set_new(o, "kind", json_string(kind));
		if (heading_of(kind) != NULL)
			json_object_set_new(o, "heading",
			    json_string(heading_of(kind)));
		if (!strcmp(kind, "text")) {
			char *html = markdown_html(json_string_value(
			    json_object_get(o, "markdown")) ?
			    json_string_value(json_object_get(o, "markdown")) :
			    "");

			json_object_set_new(o, "html", json_string(html ? html :
			    ""));
			free(html);
		}
		if (!strcmp(kind, "barometer")) {
			json_t *ind;
			size_t j;

			json_array_foreach(json_object_get(o, "indicators"), j,
			    ind)
				if (charts)
					chart(ind);
		}
		/* An empty list says so rather than showing a bare title. */
		if (json_is_array(json_object_get(o, "items")) &&
		    json_array_size(json_object_get(o, "items")) == 0)
			json_object_set_new(o, "none", json_true());
		json_array_append_new(blocks, o);
	}
	return view;
}

static void
text_items(vg_buf *out, const char *base, const json_t *blk)
{
	const char *kind = json_string_value(json_object_get(blk, "kind"));
	const json_t *it;
	size_t i;

	if (!strcmp(kind, "barometer")) {
		json_array_foreach(json_object_get(blk, "indicators"), i, it) {
			const char *pct = json_string_value(json_object_get(it,
			    "percent"));

			vg_buf_printf(out, "- %s", json_string_value(
			    json_object_get(it, "title")));
			if (pct != NULL && !json_is_true(json_object_get(it,
			    "suppressed")))
				vg_buf_printf(out, _(" : %s (intervalle de "
				    "confiance à 95 %% %s)"), pct,
				    json_string_value(json_object_get(it,
				    "interval")) ? json_string_value(
				    json_object_get(it, "interval")) : "");
			if (json_is_integer(json_object_get(it, "n")))
				vg_buf_printf(out, _(", %lld réponses"),
				    (long long)json_integer_value(
				    json_object_get(it, "n")));
			if (json_string_value(json_object_get(it, "wave")))
				vg_buf_printf(out, _(", vague %s"),
				    json_string_value(json_object_get(it,
				    "wave")));
			vg_buf_printf(out, _("\n  Méthode et détails : %s%s\n"),
			    base, json_string_value(json_object_get(it,
			    "url")));
		}
		return;
	}
	json_array_foreach(json_object_get(blk, "items"), i, it) {
		const char *link = json_string_value(json_object_get(it, "link"));
		const char *url = json_string_value(json_object_get(it, "url"));

		if (!strcmp(kind, "trainings")) {
			vg_buf_printf(out, "- %s, %s — %s (%s",
			    json_string_value(json_object_get(it, "date_label")),
			    json_string_value(json_object_get(it, "time_label")),
			    json_string_value(json_object_get(it, "title")),
			    json_string_value(json_object_get(it,
			    "format_label")));
			if (json_string_value(json_object_get(it, "place")))
				vg_buf_printf(out, ", %s", json_string_value(
				    json_object_get(it, "place")));
			vg_buf_puts(out, ")\n");
		} else {
			vg_buf_printf(out, "- %s\n", json_string_value(
			    json_object_get(it, "title")));
			if (json_string_value(json_object_get(it, "source")))
				vg_buf_printf(out, "  %s%s%s\n",
				    json_string_value(json_object_get(it,
				    "source")), json_string_value(
				    json_object_get(it, "published")) ? ", " : "",
				    json_string_value(json_object_get(it,
				    "published")) ? json_string_value(
				    json_object_get(it, "published")) : "");
			if (json_string_value(json_object_get(it, "summary")) &&
			    *json_string_value(json_object_get(it, "summary")))
				vg_buf_printf(out, "  %s\n", json_string_value(
				    json_object_get(it, "summary")));
			if (json_string_value(json_object_get(it, "note")) &&
			    *json_string_value(json_object_get(it, "note")))
				vg_buf_printf(out, _("  Notre avis : %s\n"),
				    json_string_value(json_object_get(it,
				    "note")));
		}
		if (link != NULL)
			vg_buf_printf(out, "  %s\n", link);
		else if (url != NULL)
			vg_buf_printf(out, "  %s%s\n", base, url);
	}
	if (json_is_true(json_object_get(blk, "none")))
		vg_buf_printf(out, "%s\n", _("Rien de nouveau cette fois."));
}

void
nl_mail_text(const vg_config *c, const json_t *view,
    const char *unsubscribe_url, vg_buf *out)
{
	const json_t *issue = json_object_get(view, "issue"), *b;
	const char *base = c->public_url;
	size_t i;

	vg_buf_printf(out, "%s — %s\n", json_string_value(json_object_get(issue,
	    "title")), json_string_value(json_object_get(issue, "period")));
	vg_buf_printf(out, "%s\n\n", _("La lettre trimestrielle de "
	    "l'observatoire"));
	vg_buf_printf(out, _("Version en ligne : %s%s\n\n"), base,
	    json_string_value(json_object_get(view, "web_url")));
	json_array_foreach(json_object_get(view, "blocks"), i, b) {
		const char *heading = json_string_value(json_object_get(b,
		    "heading"));

		if (heading != NULL)
			vg_buf_printf(out, "## %s\n\n", heading);
		if (json_is_true(json_object_get(b, "is_text")))
			vg_buf_printf(out, "%s\n", json_string_value(
			    json_object_get(b, "markdown")));
		else
			text_items(out, base, b);
		vg_buf_puts(out, "\n");
	}
	vg_buf_printf(out, "-- \n%s\n", json_string_value(json_object_get(view,
	    "organisation")));
	vg_buf_printf(out, _("Vous recevez cette lettre parce que vous vous y "
	    "êtes abonné·e. Pour ne plus la recevoir (votre adresse sera "
	    "effacée) : %s\n"), unsubscribe_url);
}

vg_rc
nl_mail_html(const vg_tmpl_set *t, const json_t *view,
    const char *unsubscribe_url, vg_buf *out)
{
	json_t *extra = json_pack("{s:s}", "unsubscribe_url",
	    unsubscribe_url), *stack[2];
	vg_rc rc;

	if (extra == NULL)
		return VG_ENOMEM;
	stack[0] = (json_t *)view;
	stack[1] = extra;
	rc = vg_tmpl_render(t, "newsletter_mail", stack, 2, out);
	json_decref(extra);
	return rc;
}

/* The host of the public address, for List-Id: "lettre.HOST". */
static void
list_host(const char *public_url, char *out, size_t n)
{
	const char *p = strstr(public_url, "://");
	size_t len;

	p = p ? p + 3 : public_url;
	len = strcspn(p, ":/");
	snprintf(out, n, "lettre.%.*s", (int)(len < 200 ? len : 200), p);
}

vg_rc
nl_mail_issue(const vg_config *c, const vg_tmpl_set *t, const json_t *view,
    const char *to, const char *unsub_token, int *reply, char *err,
    size_t errlen)
{
	vg_buf text = VG_BUF_INIT, html = VG_BUF_INIT, h[3];
	const json_t *issue = json_object_get(view, "issue");
	const char *headers[4];
	char host[220], *unsub = NULL, *subject = NULL;
	vg_smtp smtp;
	vg_mail m;
	size_t i;
	vg_rc rc;

	*reply = 0;
	for (i = 0; i < 3; i++)
		memset(&h[i], 0, sizeof(h[i]));
	list_host(c->public_url, host, sizeof(host));
	if (asprintf(&unsub, "%s/lettre/desabonnement/%s", c->public_url,
	    unsub_token) < 0 || asprintf(&subject, "%s — %s",
	    json_string_value(json_object_get(issue, "title")),
	    json_string_value(json_object_get(issue, "period"))) < 0) {
		unsub = NULL;
		rc = VG_ENOMEM;
		goto out;
	}
	nl_mail_text(c, view, unsub, &text);
	if ((rc = nl_mail_html(t, view, unsub, &html)) != VG_OK) {
		snprintf(err, errlen, "the mail template failed");
		goto out;
	}
	vg_buf_printf(&h[0], "List-Unsubscribe: <%s>", unsub);
	vg_buf_puts(&h[1], "List-Unsubscribe-Post: List-Unsubscribe=One-Click");
	vg_buf_printf(&h[2], "List-Id: Lettre de l'observatoire <%s>", host);
	rc = VG_ENOMEM;
	for (i = 0; i < 3; i++) {
		if (vg_buf_failed(&h[i]))
			goto out;
		headers[i] = h[i].data;
	}
	headers[3] = NULL;
	if (vg_buf_failed(&text) || vg_buf_failed(&html))
		goto out;
	vg_smtp_from_config(c, &smtp);
	smtp.timeout = NL_SMTP_TIMEOUT;
	memset(&m, 0, sizeof(m));
	m.from = c->notifier_email;
	m.from_name = c->notifier_name[0] ? c->notifier_name : NULL;
	m.to = to;
	m.subject = subject;
	m.text = text.data;
	m.html = html.data;
	m.headers = headers;
	rc = vg_mail_deliver(&smtp, &m, reply, err, errlen);
out:
	free(unsub);
	free(subject);
	vg_buf_free(&text);
	vg_buf_free(&html);
	for (i = 0; i < 3; i++)
		vg_buf_free(&h[i]);
	return rc;
}
