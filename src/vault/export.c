/*
 * export.c — a vault's bundle: the ZIP a person hands to a lawyer, an
 * officer or an association.
 *
 *	manifest.json           the records, links, signatures, the head
 *	                        (signed at export) and the public key
 *	elements/NNNN-NAME      the evidence bytes of item NNNN, exactly
 *	                        those whose SHA-256 the record holds
 *	chronologie.html        the items in the order of the facts, for
 *	chronologie.pdf         reading and printing (self-contained)
 *	LISEZMOI.txt            what the bundle is and how to check it
 *
 * The evidence is fetched one item at a time, when libzip writes it
 * (a source function), so exporting 500 items of 20 MiB never holds more
 * than one in memory, and no plaintext is written anywhere but the ZIP.
 * The ZIP is written to a temporary file next to path, flushed to disk,
 * then renamed: a reader never sees half a bundle.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <jansson.h>
#include <pango/pangocairo.h>
#include <sodium.h>
#include <zip.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/when.h"
#include "vault/vault_int.h"

#define NAME_MAX_BYTES 120      /* of a sanitised file name */
#define PDF_TEXT_MAX 1000       /* bytes of a text shown in the PDF */
#define PDF_LINES_MAX 15        /* and lines */

/* --- names and texts shared with verify.c ------------------------------- */

void
vault_iso_time(int64_t t, char out[VAULT_ISO_TIME + 1])
{
	vg_time_text(t, "%Y-%m-%dT%H:%M:%SZ", out, VAULT_ISO_TIME + 1);
}

char *
vault_head_text(const char *chain_id, int64_t count, const char *link,
    const char *exported_at)
{
	vg_buf b = VG_BUF_INIT;

	vg_buf_printf(&b, "%s head\nchain: %s\ncount: %lld\nlink: %s\n"
	    "exported_at: %s\n", VAULT_FORMAT, chain_id, (long long)count,
	    link, exported_at);
	return vg_buf_detach(&b, NULL);
}

/* Bytes of the UTF-8 sequence that lead byte c starts (1 when not a
 * lead byte). */
static size_t
utf8_seq_len(unsigned char c)
{
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

void
vault_sanitize_name(const char *name, char *out, size_t n)
{
	size_t i, o = 0, k, max = n - 1 < NAME_MAX_BYTES ? n - 1 :
	    NAME_MAX_BYTES;
	unsigned char c;

	for (i = 0; name != NULL && name[i] != '\0' && o < max; i++) {
		c = (unsigned char)name[i];
		out[o++] = (c < 0x20 || c == 0x7f || c == '/' || c == '\\') ?
		    '_' : (char)c;
	}
	/* Cut short: never end in the middle of a UTF-8 sequence. */
	if (name != NULL && name[i] != '\0' && o > 0) {
		k = o - 1;
		while (k > 0 && ((unsigned char)out[k] & 0xc0) == 0x80)
			k--;
		if (k + utf8_seq_len((unsigned char)out[k]) > o)
			o = k;
	}
	out[o] = '\0';
	if (o == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		snprintf(out, n, "%s", "fichier");
}

/* The ZIP entry of an item: "elements/0001-capture.png". */
static void
element_path(const struct vault_export_item *it, char *out, size_t n)
{
	char name[NAME_MAX_BYTES + 1];

	if (strcmp(it->rec.kind, "url") == 0)
		snprintf(name, sizeof(name), "lien.txt");
	else if (strcmp(it->rec.kind, "text") == 0)
		snprintf(name, sizeof(name), "texte.txt");
	else
		vault_sanitize_name(it->rec.name, name, sizeof(name));
	snprintf(out, n, "elements/%04lld-%s", (long long)it->rec.seq, name);
}

/* --- manifest.json ------------------------------------------------------ */

static json_t *
null_or(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
manifest_item(const struct vault_export_item *it)
{
	const struct vault_record *r = &it->rec;
	char received[VAULT_ISO_TIME + 1], deleted[VAULT_ISO_TIME + 1];
	char file[NAME_MAX_BYTES + 32];
	json_t *o;

	vault_iso_time(r->received_at, received);
	if (it->deleted_at > 0)
		vault_iso_time(it->deleted_at, deleted);
	element_path(it, file, sizeof(file));
	o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, "
	    "s:s, s:s, s:s, s:s}",
	    "seq", (json_int_t)r->seq, "received_at", received,
	    "kind", r->kind, "sha256", r->sha256, "size", (json_int_t)r->size,
	    "name", r->name, "type", r->type, "url", r->url,
	    "facts_date", r->facts_date, "platform", r->platform,
	    "author", r->author, "prev", r->prev, "link", it->link,
	    "signature", it->signature);
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "file", it->deleted_at > 0 ? json_null() :
	    json_string(file));
	json_object_set_new(o, "deleted_at", it->deleted_at > 0 ?
	    json_string(deleted) : json_null());
	json_object_set_new(o, "note", it->deleted_at > 0 ? json_null() :
	    null_or(it->note));
	return o;
}

/*
 * The manifest, with its head signed now.  VG_EINVAL when an item's
 * record cannot be written (a control character) or the items are not
 * 1, 2, 3… in order.
 */
static vg_rc
manifest(const struct vault_export_in *in, const char *pub,
    const char *exported_at, json_t **out)
{
	char genesis[VAULT_HEX_HASH + 1], sig[VAULT_HEX_SIG + 1];
	const char *last;
	json_t *m, *items, *head, *o;
	char *text;
	size_t i;
	vg_rc rc;

	*out = NULL;
	vault_genesis(in->chain_id, genesis);
	for (i = 0; i < in->n; i++) {
		if (in->items[i].rec.seq != (int64_t)i + 1)
			return VG_EINVAL;
		text = vault_record_text(&in->items[i].rec, &rc);
		if (text == NULL)
			return rc;
		free(text);
	}
	last = in->n > 0 ? in->items[in->n - 1].link : genesis;
	text = vault_head_text(in->chain_id, (int64_t)in->n, last,
	    exported_at);
	if (text == NULL)
		return VG_ENOMEM;
	rc = vault_sign(text, strlen(text), sig);
	free(text);
	if (rc != VG_OK)
		return rc;
	m = json_pack("{s:s, s:s, s:s, s:s, s:[]}", "format", VAULT_FORMAT,
	    "chain_id", in->chain_id, "public_key", pub, "exported_at",
	    exported_at, "items");
	if (m == NULL)
		return VG_ENOMEM;
	items = json_object_get(m, "items");
	for (i = 0; i < in->n; i++) {
		if ((o = manifest_item(&in->items[i])) == NULL ||
		    json_array_append_new(items, o) != 0) {
			json_decref(m);
			return VG_ENOMEM;
		}
	}
	head = json_pack("{s:I, s:s, s:s, s:s}", "count", (json_int_t)in->n,
	    "link", last, "exported_at", exported_at, "signature", sig);
	if (head == NULL || json_object_set_new(m, "head", head) != 0) {
		json_decref(m);
		return VG_ENOMEM;
	}
	*out = m;
	return VG_OK;
}

/* --- the chronology, shared by the HTML and the PDF ---------------------- */

struct row {
	const struct vault_export_item *it;
	char facts[16];                 /* "20/11/2026", or "" */
	char received[48];              /* "23/11/2026 à 15:20 UTC" */
	char deleted[48];               /* "", or the same for deleted_at */
	char size[48];                  /* "12345 octets" */
	char file[NAME_MAX_BYTES + 32]; /* elements/0001-capture.png */
};

static const char *
kind_label(const char *kind)
{
	if (strcmp(kind, "file") == 0)
		return _("Fichier");
	if (strcmp(kind, "url") == 0)
		return _("Lien");
	return _("Texte");
}

/* Dated facts first, in their order, then the undated; within a day, as
 * received. */
static int
row_cmp(const void *a, const void *b)
{
	const struct vault_record *x = &((const struct row *)a)->it->rec;
	const struct vault_record *y = &((const struct row *)b)->it->rec;
	int c;

	if ((x->facts_date[0] == '\0') != (y->facts_date[0] == '\0'))
		return x->facts_date[0] == '\0' ? 1 : -1;
	if ((c = strcmp(x->facts_date, y->facts_date)) != 0)
		return c;
	if (x->received_at != y->received_at)
		return x->received_at < y->received_at ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
when_fr(int64_t t, char *out, size_t n)
{
	vg_time_text(t, _("%d/%m/%Y à %H:%M UTC"), out, n);
}

/* The rows in chronological order (caller frees), or NULL. */
static struct row *
rows_make(const struct vault_export_in *in)
{
	struct row *rows = calloc(in->n ? in->n : 1, sizeof(*rows));
	const struct vault_record *r;
	int64_t day;
	size_t i;

	if (rows == NULL)
		return NULL;
	for (i = 0; i < in->n; i++) {
		rows[i].it = &in->items[i];
		r = &in->items[i].rec;
		if (vg_date_parse(r->facts_date, &day))
			vg_time_text(day, "%d/%m/%Y", rows[i].facts,
			    sizeof(rows[i].facts));
		else
			snprintf(rows[i].facts, sizeof(rows[i].facts), "%.15s",
			    r->facts_date);
		when_fr(r->received_at, rows[i].received,
		    sizeof(rows[i].received));
		if (in->items[i].deleted_at > 0)
			when_fr(in->items[i].deleted_at, rows[i].deleted,
			    sizeof(rows[i].deleted));
		snprintf(rows[i].size, sizeof(rows[i].size), _("%lld octets"),
		    (long long)r->size);
		element_path(&in->items[i], rows[i].file,
		    sizeof(rows[i].file));
	}
	qsort(rows, in->n, sizeof(*rows), row_cmp);
	return rows;
}

/* --- chronologie.html --------------------------------------------------- */

static void
html_text(vg_buf *b, const char *s)
{
	vg_buf_put_html(b, s ? s : "", s ? strlen(s) : 0);
}

static void
html_cell_content(vg_buf *b, const struct row *w)
{
	const struct vault_export_item *it = w->it;

	if (it->deleted_at > 0) {
		vg_buf_puts(b, "<p class=\"deleted\">");
		vg_buf_printf(b, _("Élément supprimé par la personne le %s : "
		    "son contenu n'est plus conservé, seule son empreinte "
		    "reste dans la chaîne."), w->deleted);
		vg_buf_puts(b, "</p>");
		return;
	}
	if (strcmp(it->rec.kind, "url") == 0) {
		vg_buf_puts(b, "<p class=\"url\">");
		html_text(b, it->rec.url);
		vg_buf_puts(b, "</p>");
		if (it->description && it->description[0]) {
			vg_buf_puts(b, "<p class=\"text\">");
			html_text(b, it->description);
			vg_buf_puts(b, "</p>");
		}
	} else if (strcmp(it->rec.kind, "text") == 0) {
		vg_buf_puts(b, "<p class=\"text\">");
		html_text(b, it->text);
		vg_buf_puts(b, "</p>");
	} else {
		vg_buf_puts(b, "<p>");
		html_text(b, it->rec.name);
		vg_buf_printf(b, " (%s, ", it->rec.type);
		html_text(b, w->size);
		vg_buf_puts(b, ")</p>");
	}
	vg_buf_printf(b, "<p class=\"small\">%s <code>", _("Fichier :"));
	html_text(b, w->file);
	vg_buf_puts(b, "</code></p>");
	if (it->note && it->note[0]) {
		vg_buf_printf(b, "<p class=\"note\"><strong>%s</strong> ",
		    _("Note de la personne (non signée) :"));
		html_text(b, it->note);
		vg_buf_puts(b, "</p>");
	}
}

static const char html_style[] =
	"body{font-family:\"DejaVu Sans\",Arial,sans-serif;color:#1a1a1a;"
	"margin:2rem;line-height:1.4}"
	"h1{color:#1f3a5f;font-size:1.6rem}"
	"table{border-collapse:collapse;width:100%;font-size:0.9rem}"
	"th,td{border:1px solid #999;padding:0.4rem;vertical-align:top;"
	"text-align:left}"
	"th{background:#e4e9f0}"
	"code,.url{font-family:\"DejaVu Sans Mono\",monospace;"
	"overflow-wrap:anywhere;font-size:0.8rem}"
	".text{white-space:pre-wrap;overflow-wrap:anywhere}"
	".deleted{font-style:italic}"
	".small{font-size:0.8rem;color:#444}"
	"tr{page-break-inside:avoid}"
	"@media print{body{margin:0}}";

static char *
chronology_html(const struct vault_export_in *in, const struct row *rows,
    const char *pub, const char *fp, const char *exported_fr)
{
	vg_buf b = VG_BUF_INIT;
	size_t i;
	const struct row *w;

	vg_buf_printf(&b, "<!doctype html>\n<html lang=\"fr\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>%s</title>\n<style>%s</style>\n"
	    "</head>\n<body>\n", _("Chronologie des éléments conservés"),
	    html_style);
	vg_buf_printf(&b, "<h1>%s</h1>\n",
	    _("Chronologie des éléments conservés"));
	vg_buf_printf(&b, "<p>%s</p>\n", _("Ce document accompagne un paquet "
	    "de preuves exporté d'un coffre Vigie. Les éléments y sont "
	    "classés par date des faits ; chacun a été reçu, horodaté et "
	    "signé par le serveur à son arrivée."));
	vg_buf_puts(&b, "<ul>\n<li>");
	vg_buf_printf(&b, _("Exporté le %s."), exported_fr);
	vg_buf_puts(&b, "</li>\n<li>");
	vg_buf_printf(&b, _("Nombre d'éléments : %zu."), in->n);
	vg_buf_puts(&b, "</li>\n<li>");
	vg_buf_printf(&b, _("Empreinte de la clé du serveur : %s"),
	    "<code>");
	html_text(&b, fp);
	vg_buf_printf(&b, "</code></li>\n<li>%s <code>", _("Clé publique :"));
	html_text(&b, pub);
	vg_buf_printf(&b, "</code></li>\n<li>%s <code>",
	    _("Identifiant de la chaîne :"));
	html_text(&b, in->chain_id);
	vg_buf_puts(&b, "</code></li>\n</ul>\n");

	if (in->n == 0)
		vg_buf_printf(&b, "<p>%s</p>\n", _("Le coffre ne contient "
		    "aucun élément."));
	else {
		vg_buf_printf(&b, "<table>\n<caption>%s</caption>\n<thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "</tr></thead>\n<tbody>\n",
		    _("Les éléments, par date des faits"), _("N°"),
		    _("Date des faits"), _("Reçu par le serveur"),
		    _("Nature, plateforme, auteur"), _("Contenu"),
		    _("Empreinte SHA-256"));
		for (i = 0; i < in->n; i++) {
			w = &rows[i];
			vg_buf_printf(&b, "<tr><td>%lld</td><td>",
			    (long long)w->it->rec.seq);
			html_text(&b, w->facts[0] ? w->facts :
			    _("non précisée"));
			vg_buf_puts(&b, "</td><td>");
			html_text(&b, w->received);
			vg_buf_puts(&b, "</td><td>");
			html_text(&b, kind_label(w->it->rec.kind));
			if (w->it->rec.platform[0]) {
				vg_buf_puts(&b, "<br>");
				html_text(&b, w->it->rec.platform);
			}
			if (w->it->rec.author[0]) {
				vg_buf_puts(&b, "<br>");
				html_text(&b, w->it->rec.author);
			}
			vg_buf_puts(&b, "</td><td>");
			html_cell_content(&b, w);
			vg_buf_printf(&b, "</td><td><code>%s</code>"
			    "</td></tr>\n", w->it->rec.sha256);
		}
		vg_buf_puts(&b, "</tbody>\n</table>\n");
	}
	vg_buf_printf(&b, "<h2>%s</h2>\n<p>%s</p>\n<p>%s</p>\n<p>%s</p>\n",
	    _("Comment vérifier ce paquet"),
	    _("Le fichier manifest.json donne, pour chaque élément, son "
	    "empreinte SHA-256, sa date de réception, son maillon dans la "
	    "chaîne et la signature du serveur. La commande « vigie verify "
	    "paquet.zip --key CLÉ » vérifie tout cela hors ligne."),
	    _("À la main : l'empreinte de chaque fichier du dossier elements "
	    "(commande sha256sum) doit être celle indiquée ci-dessus."),
	    _("La vérification prouve que les fichiers sont ceux que le "
	    "serveur a reçus, à ces dates et dans cet ordre ; elle ne prouve "
	    "pas que leur contenu est vrai. Seule la clé publiée par "
	    "l'organisation prouve d'où vient le paquet : comparez "
	    "l'empreinte ci-dessus avec la sienne."));
	vg_buf_puts(&b, "</body>\n</html>\n");
	if (vg_buf_failed(&b)) {
		vg_buf_free(&b);
		return NULL;
	}
	return vg_buf_detach(&b, NULL);
}

/* --- chronologie.pdf ---------------------------------------------------- */

#define PAGE_W 595.276          /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 56.7             /* 2 cm */
#define BOTTOM (PAGE_H - 72.0)  /* the footer lives below */
#define WIDTH (PAGE_W - 2 * MARGIN)
#define FONT "DejaVu Sans"
#define COL_N 26.0              /* the table's columns, in points */
#define COL_FACTS 62.0
#define COL_RECEIVED 78.0
#define COL_KIND 86.0
#define COL_CONTENT (WIDTH - COL_N - COL_FACTS - COL_RECEIVED - COL_KIND)

struct doc {
	cairo_surface_t *surf;
	cairo_t *cr;
	PangoFontMap *fonts;
	PangoContext *pango;
	double y;
	int page, total;          /* total: known in the second pass */
};

static PangoLayout *
layout(struct doc *d, const char *text, double size, bool bold,
    bool mono, double width)
{
	PangoLayout *l = pango_layout_new(d->pango);
	PangoFontDescription *fd = pango_font_description_new();
	gchar *valid = g_utf8_make_valid(text ? text : "", -1);

	pango_font_description_set_family(fd, mono ? "DejaVu Sans Mono" :
	    FONT);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD :
	    PANGO_WEIGHT_NORMAL);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	/* Data, never markup. */
	pango_layout_set_text(l, valid, -1);
	g_free(valid);
	return l;
}

static double
text_at(struct doc *d, double x, double y, double width, const char *text,
    double size, bool bold, bool mono, bool draw)
{
	PangoLayout *l = layout(d, text, size, bold, mono, width);
	int w, h;

	pango_layout_get_size(l, &w, &h);
	if (draw) {
		cairo_set_source_rgb(d->cr, 0.1, 0.1, 0.1);
		cairo_move_to(d->cr, x, y);
		pango_cairo_show_layout(d->cr, l);
	}
	g_object_unref(l);
	return (double)h / PANGO_SCALE;
}

static void
footer(struct doc *d)
{
	char text[160];

	if (d->total > 0)
		snprintf(text, sizeof(text), _("Chronologie des éléments "
		    "conservés — page %d sur %d"), d->page, d->total);
	else
		snprintf(text, sizeof(text), _("Chronologie des éléments "
		    "conservés — page %d"), d->page);
	text_at(d, MARGIN, PAGE_H - 46, WIDTH, text, 8, false, false, true);
}

static void
new_page(struct doc *d)
{
	footer(d);
	cairo_show_page(d->cr);
	d->page++;
	d->y = MARGIN;
}

static void
para(struct doc *d, const char *text, double size, bool bold, bool mono)
{
	double h = text_at(d, MARGIN, d->y, WIDTH, text, size, bold, mono,
	    false);

	if (d->y + h > BOTTOM && d->y > MARGIN)
		new_page(d);
	d->y += text_at(d, MARGIN, d->y, WIDTH, text, size, bold, mono,
	    true) + 6;
}

/* The texts of one row's cells, in the arena-less way: into cells[]. */
struct cells {
	char n[24];
	const char *facts, *received;
	vg_buf kind, content, hash;
};

/*
 * Append s, cut after PDF_TEXT_MAX bytes or PDF_LINES_MAX lines (on a
 * character's start) with a
 * pointer to the element that holds it whole: a row never outgrows a
 * page.
 */
static void
put_cut(vg_buf *b, const char *s, const char *file)
{
	size_t len = 0, lines = 0;

	if (s == NULL)
		return;
	while (s[len] != '\0' && len < PDF_TEXT_MAX && lines < PDF_LINES_MAX)
		lines += s[len++] == '\n';
	if (s[len] == '\0') {
		vg_buf_puts(b, s);
		return;
	}
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	vg_buf_append(b, s, len);
	vg_buf_printf(b, _(" […] (en entier dans %s)"), file);
}

static void
cells_fill(struct cells *c, const struct row *w)
{
	const struct vault_export_item *it = w->it;

	snprintf(c->n, sizeof(c->n), "%lld", (long long)it->rec.seq);
	c->facts = w->facts[0] ? w->facts : _("non précisée");
	c->received = w->received;
	vg_buf_puts(&c->kind, kind_label(it->rec.kind));
	if (it->rec.platform[0])
		vg_buf_printf(&c->kind, "\n%s", it->rec.platform);
	if (it->rec.author[0])
		vg_buf_printf(&c->kind, "\n%s", it->rec.author);
	if (it->deleted_at > 0)
		vg_buf_printf(&c->content, _("Élément supprimé par la personne "
		    "le %s."), w->deleted);
	else if (strcmp(it->rec.kind, "url") == 0) {
		put_cut(&c->content, it->rec.url, w->file);
		if (it->description && it->description[0]) {
			vg_buf_putc(&c->content, '\n');
			put_cut(&c->content, it->description, w->file);
		}
	} else if (strcmp(it->rec.kind, "text") == 0)
		put_cut(&c->content, it->text, w->file);
	else
		vg_buf_printf(&c->content, "%s (%s, %s)", it->rec.name,
		    it->rec.type, w->size);
	if (it->deleted_at == 0) {
		vg_buf_printf(&c->content, "\n%s %s", _("Fichier :"), w->file);
		if (it->note && it->note[0]) {
			vg_buf_printf(&c->content, "\n%s ",
			    _("Note de la personne (non signée) :"));
			put_cut(&c->content, it->note, "manifest.json");
		}
	}
	vg_buf_printf(&c->hash, "SHA-256 %s", it->rec.sha256);
}

static void
cells_free(struct cells *c)
{
	vg_buf_free(&c->kind);
	vg_buf_free(&c->content);
	vg_buf_free(&c->hash);
}

/* A row of the table (draw: or only measure); returns its height. */
static double
row_draw(struct doc *d, const char *const t[5], const char *hash,
    bool head, bool draw)
{
	static const double w[5] = { COL_N, COL_FACTS, COL_RECEIVED, COL_KIND,
	    COL_CONTENT };
	double x = MARGIN, h = 0, c, y = d->y + 4;
	size_t i;

	for (i = 0; i < 5; i++) {
		c = text_at(d, x + 3, y, w[i] - 6, t[i], 8, head, false,
		    draw);
		if (i == 4 && hash != NULL)
			c += 2 + text_at(d, x + 3, y + c + 2, w[i] - 6, hash,
			    6.5, false, true, draw);
		h = c > h ? c : h;
		x += w[i];
	}
	h += 8;
	if (draw) {
		cairo_set_line_width(d->cr, 0.5);
		cairo_set_source_rgb(d->cr, 0.6, 0.6, 0.6);
		cairo_move_to(d->cr, MARGIN, d->y + h);
		cairo_line_to(d->cr, MARGIN + WIDTH, d->y + h);
		cairo_stroke(d->cr);
	}
	return h;
}

static void
table_head(struct doc *d)
{
	const char *t[5] = { _("N°"), _("Date des faits"),
	    _("Reçu par le serveur"), _("Nature, plateforme, auteur"),
	    _("Contenu") };
	double h = row_draw(d, t, NULL, true, false);

	cairo_set_source_rgb(d->cr, 0.894, 0.914, 0.941);
	cairo_rectangle(d->cr, MARGIN, d->y, WIDTH, h);
	cairo_fill(d->cr);
	d->y += row_draw(d, t, NULL, true, true);
}

static cairo_status_t
pdf_draw(struct doc *d, const struct vault_export_in *in,
    const struct row *rows, const char *fp, const char *exported_fr)
{
	cairo_font_options_t *fo;
	cairo_status_t st;
	struct cells c;
	const char *t[5];
	char line[256];
	double h;
	size_t i;

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
	d->y = MARGIN;

	para(d, _("Chronologie des éléments conservés"), 18, true, false);
	snprintf(line, sizeof(line), _("Exporté le %s."), exported_fr);
	para(d, line, 10, false, false);
	snprintf(line, sizeof(line), _("Nombre d'éléments : %zu."), in->n);
	para(d, line, 10, false, false);
	snprintf(line, sizeof(line), _("Empreinte de la clé du serveur : %s"),
	    fp);
	para(d, line, 10, false, false);
	para(d, _("Chaque élément a été reçu, horodaté et signé par le "
	    "serveur à son arrivée. Les éléments sont classés par date des "
	    "faits."), 10, false, false);
	d->y += 6;
	if (in->n == 0)
		para(d, _("Le coffre ne contient aucun élément."), 10, false,
		    false);
	else
		table_head(d);
	for (i = 0; i < in->n; i++) {
		memset(&c, 0, sizeof(c));
		cells_fill(&c, &rows[i]);
		t[0] = c.n;
		t[1] = c.facts;
		t[2] = c.received;
		t[3] = c.kind.data ? c.kind.data : "";
		t[4] = c.content.data ? c.content.data : "";
		h = row_draw(d, t, c.hash.data, false, false);
		if (d->y + h > BOTTOM) {
			new_page(d);
			table_head(d);
		}
		d->y += row_draw(d, t, c.hash.data, false, true);
		cells_free(&c);
	}
	d->y += 12;
	para(d, _("Comment vérifier ce paquet"), 12, true, false);
	para(d, _("Le fichier manifest.json donne, pour chaque élément, son "
	    "empreinte SHA-256, sa date de réception, son maillon dans la "
	    "chaîne et la signature du serveur. La commande « vigie verify "
	    "paquet.zip --key CLÉ » vérifie tout cela hors ligne. À la main : "
	    "l'empreinte de chaque fichier du dossier elements (commande "
	    "sha256sum) doit être celle indiquée dans le tableau."), 9, false,
	    false);
	para(d, _("La vérification prouve que les fichiers sont ceux que le "
	    "serveur a reçus, à ces dates et dans cet ordre ; elle ne prouve "
	    "pas que leur contenu est vrai. Seule la clé publiée par "
	    "l'organisation prouve d'où vient le paquet : comparez "
	    "l'empreinte ci-dessus avec la sienne."), 9, false, false);
	footer(d);
	cairo_show_page(d->cr);
	st = cairo_status(d->cr);
	g_object_unref(d->pango);
	cairo_destroy(d->cr);
	d->cr = NULL;
	d->pango = NULL;
	return st;
}

static cairo_status_t
to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	vg_buf *b = closure;

	vg_buf_append(b, data, len);
	return vg_buf_failed(b) ? CAIRO_STATUS_NO_MEMORY :
	    CAIRO_STATUS_SUCCESS;
}

/* The PDF in memory (caller frees), or NULL. */
static char *
chronology_pdf(const struct vault_export_in *in, const struct row *rows,
    const char *fp, const char *exported_fr, size_t *len)
{
	struct doc d;
	vg_buf b = VG_BUF_INIT;
	cairo_status_t st;
	int total;

	memset(&d, 0, sizeof(d));
	/* A font map of our own, freed with the document. */
	if ((d.fonts = pango_cairo_font_map_new()) == NULL)
		return NULL;
	/* First pass, nowhere: how many pages. */
	d.surf = cairo_pdf_surface_create_for_stream(NULL, NULL, PAGE_W,
	    PAGE_H);
	st = pdf_draw(&d, in, rows, fp, exported_fr);
	cairo_surface_finish(d.surf);
	cairo_surface_destroy(d.surf);
	total = d.page;
	if (st == CAIRO_STATUS_SUCCESS) {
		d.total = total;
		d.surf = cairo_pdf_surface_create_for_stream(to_buf, &b,
		    PAGE_W, PAGE_H);
		cairo_pdf_surface_set_metadata(d.surf,
		    CAIRO_PDF_METADATA_TITLE,
		    _("Chronologie des éléments conservés"));
		cairo_pdf_surface_set_metadata(d.surf,
		    CAIRO_PDF_METADATA_CREATOR, "Vigie");
		st = pdf_draw(&d, in, rows, fp, exported_fr);
		cairo_surface_finish(d.surf);
		if (st == CAIRO_STATUS_SUCCESS)
			st = cairo_surface_status(d.surf);
		cairo_surface_destroy(d.surf);
	}
	g_object_unref(d.fonts);
	if (st != CAIRO_STATUS_SUCCESS || vg_buf_failed(&b)) {
		vg_buf_free(&b);
		return NULL;
	}
	return vg_buf_detach(&b, len);
}

/* --- LISEZMOI.txt ------------------------------------------------------- */

static char *
readme(const struct vault_export_in *in, const char *pub, const char *fp,
    const char *exported_fr)
{
	vg_buf b = VG_BUF_INIT;

	vg_buf_printf(&b, "%s\n\n", _("PAQUET DE PREUVES — COFFRE VIGIE"));
	vg_buf_printf(&b, _("Ce paquet a été exporté le %s. Il contient %zu "
	    "élément(s) conservé(s) par une personne dans son coffre, tels "
	    "que le serveur les a reçus."), exported_fr, in->n);
	vg_buf_printf(&b, "\n\n%s\n\n", _("Contenu :\n"
	    "- elements/ : les fichiers d'origine, les liens (lien.txt : "
	    "l'adresse, une ligne vide, puis la description) et les textes "
	    "(texte.txt), numérotés dans l'ordre d'arrivée ;\n"
	    "- manifest.json : pour chaque élément, son empreinte SHA-256, sa "
	    "date de réception, son maillon dans la chaîne et la signature "
	    "du serveur, ainsi que la clé publique du serveur ;\n"
	    "- chronologie.html et chronologie.pdf : les éléments classés "
	    "par date des faits, à lire ou à imprimer."));
	vg_buf_printf(&b, "%s\n\n", _("Vérifier avec Vigie, hors ligne :"));
	vg_buf_printf(&b, "    vigie verify paquet.zip --key %s\n\n", pub);
	vg_buf_printf(&b, "%s\n\n", _("Vérifier à la main : la commande "
	    "« sha256sum elements/* » donne l'empreinte de chaque fichier ; "
	    "elle doit être celle du champ « sha256 » de l'élément dans "
	    "manifest.json. La signature de chaque élément porte sur le texte "
	    "de son enregistrement, décrit dans la documentation de Vigie "
	    "(docs/vault-verify.md)."));
	vg_buf_printf(&b, _("Clé publique du serveur (Ed25519) : %s\n"
	    "Empreinte : %s\n"), pub, fp);
	vg_buf_printf(&b, "\n%s\n", _("Ce que la vérification prouve : les "
	    "fichiers sont ceux que le serveur a reçus, à ces dates et dans "
	    "cet ordre, et aucun n'a été modifié, retiré ou déplacé depuis. "
	    "Elle ne prouve pas que leur contenu est vrai. Seule la clé "
	    "publiée par l'organisation (page /coffre/cle de son site) prouve "
	    "d'où vient le paquet : comparez son empreinte avec celle "
	    "ci-dessus."));
	if (vg_buf_failed(&b)) {
		vg_buf_free(&b);
		return NULL;
	}
	return vg_buf_detach(&b, NULL);
}

/* --- the ZIP ------------------------------------------------------------ */

/* An element fetched when libzip writes it, and let go right after. */
struct lazy {
	const struct vault_export_in *in;
	int64_t seq;
	unsigned char *data;
	size_t len, off;
	vg_rc *fail;              /* the first error of a content fetch */
	zip_error_t error;
};

static void
lazy_release(struct lazy *l)
{
	if (l->data != NULL) {
		/* Plaintext evidence: wiped, not only freed. */
		sodium_memzero(l->data, l->len);
		free(l->data);
	}
	l->data = NULL;
	l->len = l->off = 0;
}

static zip_int64_t
lazy_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct lazy *l = ud;
	zip_uint64_t n;
	vg_rc rc;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		lazy_release(l);
		rc = l->in->content(l->in->ctx, l->seq, &l->data, &l->len);
		if (rc != VG_OK) {
			if (*l->fail == VG_OK)
				*l->fail = rc;
			l->data = NULL;
			zip_error_set(&l->error, ZIP_ER_READ, EIO);
			return -1;
		}
		return 0;
	case ZIP_SOURCE_READ:
		n = l->len - l->off < len ? l->len - l->off : len;
		if (n > 0)
			memcpy(data, l->data + l->off, n);
		l->off += n;
		return (zip_int64_t)n;
	case ZIP_SOURCE_CLOSE:
		lazy_release(l);
		return 0;
	case ZIP_SOURCE_STAT:
		if (len < sizeof(zip_stat_t))
			return -1;
		zip_stat_init(data);
		return sizeof(zip_stat_t);
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&l->error, data, len);
	case ZIP_SOURCE_FREE:
		lazy_release(l);
		zip_error_fini(&l->error);
		free(l);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN,
		    ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
		    ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&l->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* Add name with the n bytes at data, which the ZIP takes (freed by it,
 * or here on failure). */
static vg_rc
add_owned(zip_t *za, const char *name, char *data, size_t n)
{
	zip_source_t *src;

	if (data == NULL)
		return VG_ENOMEM;
	if ((src = zip_source_buffer(za, data, n, 1)) == NULL) {
		free(data);
		return VG_ENOMEM;
	}
	if (zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(src);
		return VG_EIO;
	}
	return VG_OK;
}

static vg_rc
add_element(zip_t *za, const struct vault_export_in *in,
    const struct vault_export_item *it, vg_rc *fail)
{
	char name[NAME_MAX_BYTES + 32];
	struct lazy *l;
	zip_source_t *src;
	zip_int64_t idx;

	element_path(it, name, sizeof(name));
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return VG_ENOMEM;
	l->in = in;
	l->seq = it->rec.seq;
	l->fail = fail;
	zip_error_init(&l->error);
	if ((src = zip_source_function(za, lazy_cb, l)) == NULL) {
		zip_error_fini(&l->error);
		free(l);
		return VG_ENOMEM;
	}
	if ((idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(src);
		return VG_EIO;
	}
	/* Photos, sound and PDFs are compressed already. */
	if (strcmp(it->rec.kind, "file") == 0 &&
	    strcmp(it->rec.type, "text/plain") != 0)
		zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE,
		    0);
	zip_file_set_mtime(za, (zip_uint64_t)idx, (time_t)it->rec.received_at,
	    0);
	return VG_OK;
}

/* Every entry of the bundle added to za (written at zip_close). */
static vg_rc
fill(zip_t *za, const struct vault_export_in *in, vg_rc *fail)
{
	const char *pub = vault_public_key_hex();
	char fp[VAULT_FINGERPRINT + 1], iso[VAULT_ISO_TIME + 1], fr[48];
	struct row *rows = NULL;
	json_t *m = NULL;
	char *text;
	size_t i, len = 0;
	vg_rc rc;

	if (pub == NULL)
		return VG_EINTERNAL;
	vault_key_fingerprint(pub, fp);
	vault_iso_time(in->now, iso);
	when_fr(in->now, fr, sizeof(fr));
	if ((rc = manifest(in, pub, iso, &m)) != VG_OK)
		return rc;
	text = json_dumps(m, JSON_INDENT(2));
	json_decref(m);
	if ((rc = add_owned(za, "manifest.json", text,
	    text ? strlen(text) : 0)) != VG_OK)
		return rc;
	for (i = 0; i < in->n; i++)
		if (in->items[i].deleted_at == 0 &&
		    (rc = add_element(za, in, &in->items[i], fail)) != VG_OK)
			return rc;
	if ((rows = rows_make(in)) == NULL)
		return VG_ENOMEM;
	text = chronology_html(in, rows, pub, fp, fr);
	if ((rc = add_owned(za, "chronologie.html", text,
	    text ? strlen(text) : 0)) != VG_OK)
		goto done;
	text = chronology_pdf(in, rows, fp, fr, &len);
	if ((rc = add_owned(za, "chronologie.pdf", text, len)) != VG_OK)
		goto done;
	text = readme(in, pub, fp, fr);
	rc = add_owned(za, "LISEZMOI.txt", text, text ? strlen(text) : 0);
done:
	free(rows);
	return rc;
}

vg_rc
vault_export_zip(const struct vault_export_in *in, const char *path)
{
	size_t plen = strlen(path);
	char *tmp;
	zip_t *za = NULL;
	vg_rc rc = VG_EIO, fail = VG_OK;
	int fd, err = 0;

	if ((tmp = malloc(plen + 16)) == NULL)
		return VG_ENOMEM;
	snprintf(tmp, plen + 16, "%s.tmp-XXXXXX", path);
	/* The name is ours; libzip writes its own temporary file next to
	 * it and renames it over this one at zip_close. */
	if ((fd = mkstemp(tmp)) < 0) {
		free(tmp);
		return VG_EIO;
	}
	close(fd);
	if ((za = zip_open(tmp, ZIP_CREATE | ZIP_TRUNCATE, &err)) == NULL)
		goto fail;
	if ((rc = fill(za, in, &fail)) != VG_OK)
		goto fail;
	if (zip_close(za) != 0) {
		rc = fail != VG_OK ? fail : VG_EIO;
		goto fail;
	}
	za = NULL;
	/* The bundle holds the evidence in clear: for its owner only. */
	rc = VG_EIO;
	if ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) < 0)
		goto fail;
	if (fchmod(fd, 0600) != 0 || fsync(fd) != 0) {
		close(fd);
		goto fail;
	}
	close(fd);
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	return VG_OK;
fail:
	if (za != NULL)
		zip_discard(za);
	unlink(tmp);
	free(tmp);
	return rc;
}
