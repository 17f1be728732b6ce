/*
 * site.c — home page and editorial pages.
 */
#include "site/site.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "orientation/orientation.h"
#include "render/page.h"

static const struct {
	const char *path, *file;
} page_files[] = {
	{"/mentions-legales", "mentions-legales.md"},
	{"/accessibilite", "accessibilite.md"},
	{"/confidentialite", "confidentialite.md"},
};

static struct {
	char *title;    /* the first "# " heading */
	char *html;
} pages[VG_ARRAY_LEN(page_files)];

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    n < 1024 * 1024 && fseek(f, 0, SEEK_SET) == 0 &&
	    (p = malloc((size_t)n + 1)) != NULL) {
		if (fread(p, 1, (size_t)n, f) != (size_t)n) {
			free(p);
			p = NULL;
		} else {
			p[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return p;
}

static char *
first_heading(const char *md)
{
	const char *p = md, *end;

	while (p != NULL && *p != '\0') {
		if (p[0] == '#' && p[1] == ' ') {
			end = p + 2 + strcspn(p + 2, "\n");
			return strndup(p + 2, (size_t)(end - p - 2));
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return NULL;
}

vg_rc
site_content_load(const char *share, char *err, size_t errlen)
{
	char path[2048];
	size_t i, len;
	char *md;

	for (i = 0; i < VG_ARRAY_LEN(page_files); i++) {
		snprintf(path, sizeof(path), "%s/content/pages/%s", share,
		    page_files[i].file);
		if ((md = slurp(path, &len)) == NULL) {
			snprintf(err, errlen, _("%s : fichier illisible (%s)"),
			    path, strerror(errno));
			return VG_EIO;
		}
		pages[i].title = first_heading(md);
		pages[i].html = vg_markdown_html(md, len);
		free(md);
		if (pages[i].title == NULL || pages[i].html == NULL) {
			snprintf(err, errlen, _("%s:1: la page doit commencer "
			    "par un titre « # Titre »"), path);
			return VG_EINVAL;
		}
	}
	return VG_OK;
}

void
site_content_free(void)
{
	size_t i;

	for (i = 0; i < VG_ARRAY_LEN(pages); i++) {
		free(pages[i].title);
		free(pages[i].html);
		pages[i].title = pages[i].html = NULL;
	}
}

static vg_rc
home(vg_req *r, vg_resp *resp)
{
	VG_UNUSED(r);
	resp->tmpl = "home";
	json_object_set_new(resp->ctx, "title", json_string(_("Accueil")));
	json_object_set_new(resp->ctx, "urgence", orientation_home_contacts());
	return VG_OK;
}

static vg_rc
content_page(vg_req *r, vg_resp *resp)
{
	size_t i;

	for (i = 0; i < VG_ARRAY_LEN(page_files); i++)
		if (strcmp(r->path, page_files[i].path) == 0)
			break;
	if (i == VG_ARRAY_LEN(page_files))
		return VG_ENOTFOUND;
	resp->tmpl = "content_page";
	json_object_set_new(resp->ctx, "title", json_string(pages[i].title));
	json_object_set_new(resp->ctx, "html", json_string(pages[i].html));
	return VG_OK;
}

static const vg_route routes[] = {
	{"GET", "/", home, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/mentions-legales", content_page, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/accessibilite", content_page, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/confidentialite", content_page, VG_ROLE_PUBLIC, 0, 0},
};

const vg_route *
site_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}
