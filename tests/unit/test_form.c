/*
 * test_form.c — the form body parser: urlencoded and multipart, fed whole,
 * byte by byte and split at every position; limits; temporary files.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* mkdtemp, strdup under -std=c11 */
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "http/form.h"

#define URLENC "application/x-www-form-urlencoded"
#define MP "multipart/form-data; boundary=XyZzY"

static char updir[] = "/tmp/vg-test-form-XXXXXX";

static vg_form_limits
limits(void)
{
	vg_form_limits l = {
		.max_fields = 32,
		.max_name = 64,
		.max_value = 1024,
		.max_file = 1 << 20,
		.upload_dir = updir,
	};
	return l;
}

static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static int
count_fds(void)
{
	return count_entries("/proc/self/fd");
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	vg_buf b = VG_BUF_INIT;
	char tmp[512];
	size_t n;

	assert_non_null(f);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		vg_buf_append(&b, tmp, n);
	fclose(f);
	return vg_buf_detach(&b, len);
}

/* One line per field, file contents included: two parses agree when
 * their dumps are equal. */
static char *
dump(const vg_form *f)
{
	const vg_form_field *fl;
	vg_buf b = VG_BUF_INIT;
	char *content;
	size_t len;

	vg_buf_printf(&b, "%zu\n", f->count);
	for (fl = f->first; fl != NULL; fl = fl->next) {
		vg_buf_printf(&b, "[%s]=[", fl->name);
		vg_buf_append(&b, fl->value, fl->len);
		vg_buf_printf(&b, "] fn=%s ct=%s size=%zu",
		    fl->filename ? fl->filename : "(null)",
		    fl->content_type ? fl->content_type : "(null)", fl->size);
		if (fl->path != NULL) {
			content = read_file(fl->path, &len);
			assert_int_equal(len, fl->size);
			vg_buf_puts(&b, " data=[");
			vg_buf_append(&b, content, len);
			vg_buf_puts(&b, "]");
			free(content);
		}
		vg_buf_puts(&b, "\n");
	}
	return vg_buf_detach(&b, NULL);
}

/*
 * Parse body with the given content type, fed in pieces cut at the
 * positions cuts[0..ncuts) (increasing).  Returns the first error, or OK;
 * with OK, *dumped is the dump of the form (caller frees).  Cleans up.
 */
static vg_rc
parse_cuts(const char *ct, const vg_form_limits *lim, const char *body,
    size_t n, const size_t *cuts, size_t ncuts, char **dumped)
{
	vg_arena *a = vg_arena_new();
	vg_form_parser *p;
	vg_form *f;
	size_t i, at = 0, next;
	vg_rc rc;

	assert_non_null(a);
	if (dumped != NULL)
		*dumped = NULL;
	rc = vg_form_parser_new(a, ct, lim, &p);
	if (rc != VG_OK) {
		vg_arena_free(a);
		return rc;
	}
	for (i = 0; i <= ncuts && rc == VG_OK; i++) {
		next = i < ncuts ? cuts[i] : n;
		rc = vg_form_parser_feed(p, body + at, next - at);
		at = next;
	}
	if (rc == VG_OK)
		rc = vg_form_parser_finish(p, &f);
	if (rc == VG_OK && dumped != NULL)
		*dumped = dump(f);
	vg_form_parser_cleanup(p);
	vg_arena_free(a);
	return rc;
}

static vg_rc
parse_whole(const char *ct, const vg_form_limits *lim, const char *body,
    char **dumped)
{
	return parse_cuts(ct, lim, body, strlen(body), NULL, 0, dumped);
}

/* Whole, byte by byte, and every 2-way split all give the same dump. */
static void
check_every_split(const char *ct, const vg_form_limits *lim,
    const char *body, size_t n, const char *expect)
{
	size_t *cuts, i;
	char *d;

	assert_int_equal(parse_cuts(ct, lim, body, n, NULL, 0, &d), VG_OK);
	assert_string_equal(d, expect);
	free(d);

	cuts = calloc(n + 1, sizeof(*cuts));
	assert_non_null(cuts);
	for (i = 0; i < n; i++)
		cuts[i] = i;
	assert_int_equal(parse_cuts(ct, lim, body, n, cuts, n, &d), VG_OK);
	assert_string_equal(d, expect);
	free(d);
	for (i = 0; i <= n; i++) {
		assert_int_equal(parse_cuts(ct, lim, body, n, &i, 1, &d),
		    VG_OK);
		assert_string_equal(d, expect);
		free(d);
	}
	free(cuts);
	assert_int_equal(count_entries(updir), 0);
}

/*
 * urlencoded
 */

static void
test_url_basic(void **state)
{
	vg_arena *a = vg_arena_new();
	vg_form_limits lim = limits();
	vg_form_parser *p;
	vg_form *f;
	const vg_form_field *fl;

	VG_UNUSED(state);
	assert_int_equal(vg_form_parser_new(a, URLENC, &lim, &p), VG_OK);
	assert_int_equal(vg_form_parser_feed(p, "a=1&bb=two", 10), VG_OK);
	assert_int_equal(vg_form_parser_finish(p, &f), VG_OK);
	assert_int_equal(f->count, 2);
	assert_string_equal(vg_form_get(f, "a"), "1");
	assert_string_equal(vg_form_get(f, "bb"), "two");
	assert_null(vg_form_get(f, "c"));
	fl = f->first;
	assert_string_equal(fl->name, "a");
	assert_int_equal(fl->len, 1);
	assert_null(fl->filename);
	assert_null(fl->path);
	assert_string_equal(fl->next->name, "bb");
	assert_null(fl->next->next);
	vg_form_parser_cleanup(p);
	vg_arena_free(a);
}

static void
test_url_plus_percent(void **state)
{
	vg_form_limits lim = limits();
	char *d;

	VG_UNUSED(state);
	assert_int_equal(parse_whole(URLENC, &lim,
	    "q=hello+world%21&n%61me=%C3%A9t%c3%a9&eq=a%3Db=c&sp=%20+%2B",
	    &d), VG_OK);
	assert_string_equal(d,
	    "4\n"
	    "[q]=[hello world!] fn=(null) ct=(null) size=0\n"
	    "[name]=[\xc3\xa9t\xc3\xa9] fn=(null) ct=(null) size=0\n"
	    "[eq]=[a=b=c] fn=(null) ct=(null) size=0\n"
	    "[sp]=[  +] fn=(null) ct=(null) size=0\n");
	free(d);
}

static void
test_url_bad_escapes(void **state)
{
	static const char *bad[] = {
		"a=%zz", "a=%2", "a=%", "a=%G1", "a=%%41", "a=%4&b=1",
		"%=1", "a=1&b=%2x",
	};
	vg_form_limits lim = limits();
	vg_arena *a;
	vg_form_parser *p;
	vg_form *f;
	size_t i;

	VG_UNUSED(state);
	for (i = 0; i < VG_ARRAY_LEN(bad); i++)
		assert_int_equal(parse_whole(URLENC, &lim, bad[i], NULL),
		    VG_EINVAL);

	/* Sticky: once wrong, always wrong. */
	a = vg_arena_new();
	assert_int_equal(vg_form_parser_new(a, URLENC, &lim, &p), VG_OK);
	assert_int_equal(vg_form_parser_feed(p, "a=%x", 4), VG_EINVAL);
	assert_int_equal(vg_form_parser_feed(p, "b=1", 3), VG_EINVAL);
	assert_int_equal(vg_form_parser_finish(p, &f), VG_EINVAL);
	vg_form_parser_cleanup(p);
	vg_arena_free(a);
}

static void
test_url_repeated(void **state)
{
	vg_arena *a = vg_arena_new();
	vg_form_limits lim = limits();
	vg_form *f;

	VG_UNUSED(state);
	assert_int_equal(vg_form_parse_urlencoded(a, "a=1&b=x&a=2", 11, &lim,
	    &f), VG_OK);
	assert_int_equal(f->count, 3);
	assert_string_equal(vg_form_get(f, "a"), "1");
	assert_string_equal(vg_form_field_get(f, "a")->value, "1");
	assert_string_equal(f->first->next->next->name, "a");
	assert_string_equal(f->first->next->next->value, "2");
	vg_arena_free(a);
}

static void
test_url_empty_pairs(void **state)
{
	vg_arena *a = vg_arena_new();
	vg_form_limits lim = limits();
	vg_form *f;

	VG_UNUSED(state);
	assert_int_equal(vg_form_parse_urlencoded(a, "&&a=1&&&b&c=&", 13,
	    &lim, &f), VG_OK);
	assert_int_equal(f->count, 3);
	assert_string_equal(vg_form_get(f, "a"), "1");
	assert_string_equal(vg_form_get(f, "b"), "");
	assert_int_equal(vg_form_field_get(f, "b")->len, 0);
	assert_string_equal(vg_form_get(f, "c"), "");

	assert_int_equal(vg_form_parse_urlencoded(a, "", 0, &lim, &f), VG_OK);
	assert_int_equal(f->count, 0);
	assert_null(f->first);
	assert_int_equal(vg_form_parse_urlencoded(a, "&", 1, &lim, &f),
	    VG_OK);
	assert_int_equal(f->count, 0);

	/* A pair with a value but no name is not skipped: it is wrong. */
	assert_int_equal(vg_form_parse_urlencoded(a, "=x", 2, &lim, &f),
	    VG_EINVAL);
	assert_null(f);
	assert_int_equal(vg_form_parse_urlencoded(a, "a=1&=", 5, &lim, &f),
	    VG_EINVAL);
	vg_arena_free(a);
}

static void
test_url_every_split(void **state)
{
	static const char body[] =
	    "first=Jean+Dupont&msg=caf%C3%A9%20cr%C3%A8me&&e=&x&z=%3d%26%2b"
	    "&long=abcdefghijklmnopqrstuvwxyz0123456789";
	vg_form_limits lim = limits();
	char *expect;

	VG_UNUSED(state);
	assert_int_equal(parse_whole(URLENC, &lim, body, &expect), VG_OK);
	assert_non_null(strstr(expect, "[msg]=[caf\xc3\xa9 cr\xc3\xa8me]"));
	assert_non_null(strstr(expect, "[z]=[=&+]"));
	assert_non_null(strstr(expect, "[x]=[]"));
	check_every_split(URLENC, &lim, body, sizeof(body) - 1, expect);
	free(expect);
}

static void
test_url_limits(void **state)
{
	vg_form_limits lim = limits();

	VG_UNUSED(state);
	lim.max_fields = 2;
	assert_int_equal(parse_whole(URLENC, &lim, "a=1&b=2", NULL), VG_OK);
	assert_int_equal(parse_whole(URLENC, &lim, "a=1&&b=2&", NULL),
	    VG_OK);
	assert_int_equal(parse_whole(URLENC, &lim, "a=1&b=2&c", NULL),
	    VG_ETOOBIG);

	lim = limits();
	lim.max_name = 4;
	assert_int_equal(parse_whole(URLENC, &lim, "abcd=1", NULL), VG_OK);
	assert_int_equal(parse_whole(URLENC, &lim, "abcde=1", NULL),
	    VG_ETOOBIG);
	assert_int_equal(parse_whole(URLENC, &lim, "abcde", NULL),
	    VG_ETOOBIG);

	lim = limits();
	lim.max_value = 3;
	assert_int_equal(parse_whole(URLENC, &lim, "a=abc", NULL), VG_OK);
	/* Decoded bytes count: %41 is one. */
	assert_int_equal(parse_whole(URLENC, &lim, "a=%41%42%43", NULL),
	    VG_OK);
	assert_int_equal(parse_whole(URLENC, &lim, "a=abcd", NULL),
	    VG_ETOOBIG);
	assert_int_equal(parse_whole(URLENC, &lim, "a=ab%43%44", NULL),
	    VG_ETOOBIG);
}

static void
test_url_utf8(void **state)
{
	static const char *bad[] = {
		"a=%FF", "a=%C0%80", "a=%ED%A0%80", "a=%C3", "a=%01",
		"a=%00", "a=%7F", "a=%C2%85", "n%0Bame=1", "%C3=1",
		"a=\x01", "a=\xff",
	};
	vg_form_limits lim = limits();
	char *d;
	size_t i;

	VG_UNUSED(state);
	for (i = 0; i < VG_ARRAY_LEN(bad); i++)
		assert_int_equal(parse_whole(URLENC, &lim, bad[i], NULL),
		    VG_EINVAL);
	/* Tab, CR and LF are text. */
	assert_int_equal(parse_whole(URLENC, &lim, "a=x%09y%0D%0Az", &d),
	    VG_OK);
	assert_non_null(strstr(d, "[a]=[x\ty\r\nz]"));
	free(d);
}

static void
test_content_types(void **state)
{
	static const struct {
		const char *ct;
		vg_rc rc;
	} cases[] = {
		{"text/plain", VG_EMEDIA},
		{"", VG_EMEDIA},
		{"application/json", VG_EMEDIA},
		{"application/x-www-form-urlencodedx", VG_EMEDIA},
		{"application/x-www-form-urlencoded", VG_OK},
		{"APPLICATION/X-WWW-Form-UrlEncoded", VG_OK},
		{"application/x-www-form-urlencoded; charset=UTF-8", VG_OK},
		{"application/x-www-form-urlencoded;charset=\"utf-8\"", VG_OK},
		{"application/x-www-form-urlencoded; charset=iso-8859-1",
		    VG_EMEDIA},
		{"application/x-www-form-urlencoded; charset", VG_EMEDIA},
		{"application/x-www-form-urlencoded; charset=\"utf-8",
		    VG_EMEDIA},
		{"multipart/form-data", VG_EMEDIA},
		{"multipart/form-data; charset=utf-8", VG_EMEDIA},
		{"multipart/form-data; boundary=", VG_EMEDIA},
		{"multipart/form-data; boundary=\"\"", VG_EMEDIA},
		{"multipart/form-data; boundary=abc", VG_OK},
		{"Multipart/Form-Data;BOUNDARY=abc", VG_OK},
		{"multipart/form-data; boundary=\"a b'c(d)+_,-./:=?\"", VG_OK},
		{"multipart/form-data; boundary=\"abc \"", VG_EMEDIA},
		{"multipart/form-data; boundary=\"a@b\"", VG_EMEDIA},
		{"multipart/form-data; boundary=a; boundary=b", VG_EMEDIA},
		{"multipart/mixed; boundary=abc", VG_EMEDIA},
		{"multipart/form-data; boundary=abc junk", VG_EMEDIA},
		/* 70 characters, then 71. */
		{"multipart/form-data; boundary=0123456789012345678901234567890"
		    "123456789012345678901234567890123456789", VG_OK},
		{"multipart/form-data; boundary=0123456789012345678901234567890"
		    "1234567890123456789012345678901234567890", VG_EMEDIA},
	};
	vg_form_limits lim = limits();
	vg_arena *a = vg_arena_new();
	vg_form_parser *p;
	size_t i;

	VG_UNUSED(state);
	for (i = 0; i < VG_ARRAY_LEN(cases); i++) {
		vg_rc rc = vg_form_parser_new(a, cases[i].ct, &lim, &p);

		if (rc != cases[i].rc)
			fail_msg("%s: got %d", cases[i].ct, rc);
		if (rc == VG_OK)
			vg_form_parser_cleanup(p);
		else
			assert_null(p);
	}
	assert_int_equal(vg_form_parser_new(a, NULL, &lim, &p), VG_EMEDIA);
	vg_arena_free(a);
}

static void
test_parse_urlencoded(void **state)
{
	vg_arena *a = vg_arena_new();
	vg_form_limits lim = limits();
	vg_form *f;

	VG_UNUSED(state);
	lim.upload_dir = NULL;
	assert_int_equal(vg_form_parse_urlencoded(a, "page=2&q=a+b", 12,
	    &lim, &f), VG_OK);
	assert_string_equal(vg_form_get(f, "page"), "2");
	assert_string_equal(vg_form_get(f, "q"), "a b");
	/* n bounds the input: what follows is not read. */
	assert_int_equal(vg_form_parse_urlencoded(a, "x=1&y=2", 3, &lim, &f),
	    VG_OK);
	assert_int_equal(f->count, 1);
	assert_string_equal(vg_form_get(f, "x"), "1");
	assert_int_equal(vg_form_parse_urlencoded(a, "q=%", 3, &lim, &f),
	    VG_EINVAL);
	lim.max_fields = 1;
	assert_int_equal(vg_form_parse_urlencoded(a, "a&b", 3, &lim, &f),
	    VG_ETOOBIG);
	vg_arena_free(a);
}

/*
 * multipart
 */

#define CRLF "\r\n"
#define PART(hdrs, body) "--XyZzY" CRLF hdrs CRLF CRLF body CRLF
#define TEXT(name, body) \
	PART("Content-Disposition: form-data; name=\"" name "\"", body)
#define END "--XyZzY--" CRLF

static void
test_mp_text_and_file(void **state)
{
	static const char body[] =
	    "This is the preamble, ignored." CRLF
	    TEXT("title", "Bonjour \xc3\xa0 tous")
	    PART("Content-Disposition: form-data; name=\"doc\"; "
	        "filename=\"notes.txt\"" CRLF
	        "Content-Type: text/plain",
	        "line 1\r\nline 2\n\r--XyZ\r\n-\x00\xff end")
	    TEXT("empty", "")
	    END
	    "epilogue, ignored too\r\n--XyZzY\r\n";
	vg_arena *a = vg_arena_new();
	vg_form_limits lim = limits();
	vg_form_parser *p;
	vg_form *f;
	const vg_form_field *fl;
	struct stat st;
	char *content, *path;
	size_t len;
	int fds = count_fds();

	VG_UNUSED(state);
	assert_int_equal(vg_form_parser_new(a, MP, &lim, &p), VG_OK);
	assert_int_equal(vg_form_parser_feed(p, body, sizeof(body) - 1),
	    VG_OK);
	assert_int_equal(vg_form_parser_finish(p, &f), VG_OK);
	assert_int_equal(f->count, 3);
	assert_string_equal(vg_form_get(f, "title"), "Bonjour \xc3\xa0 tous");
	assert_string_equal(vg_form_get(f, "empty"), "");
	/* A file is not a text value. */
	assert_null(vg_form_get(f, "doc"));

	fl = vg_form_field_get(f, "doc");
	assert_non_null(fl);
	assert_ptr_equal(fl, f->first->next);
	assert_string_equal(fl->filename, "notes.txt");
	assert_string_equal(fl->content_type, "text/plain");
	assert_string_equal(fl->value, "");
	assert_int_equal(fl->len, 0);
	assert_int_equal(fl->size, 30);
	assert_non_null(fl->path);
	assert_memory_equal(fl->path, updir, strlen(updir));
	assert_int_equal(stat(fl->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	content = read_file(fl->path, &len);
	assert_int_equal(len, 30);
	assert_memory_equal(content, "line 1\r\nline 2\n\r--XyZ\r\n-\x00\xff end",
	    30);
	free(content);
	assert_int_equal(count_entries(updir), 1);
	assert_int_equal(count_fds(), fds);

	path = strdup(fl->path);
	vg_form_parser_cleanup(p);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(count_entries(updir), 0);
	free(path);
	vg_arena_free(a);
}

static void
test_mp_file_too_big(void **state)
{
	static const char body[] =
	    PART("Content-Disposition: form-data; name=\"f\"; filename=\"a\"",
	        "0123456789")
	    END;
	vg_form_limits lim = limits();
	vg_arena *a;
	vg_form_parser *p;
	vg_form *f;
	int fds = count_fds();

	VG_UNUSED(state);
	lim.max_file = 10;
	assert_int_equal(parse_whole(MP, &lim, body, NULL), VG_OK);
	lim.max_file = 9;
	assert_int_equal(parse_whole(MP, &lim, body, NULL), VG_ETOOBIG);
	assert_int_equal(count_entries(updir), 0);

	/* Before cleanup the partial file exists; after, it is gone. */
	a = vg_arena_new();
	assert_int_equal(vg_form_parser_new(a, MP, &lim, &p), VG_OK);
	assert_int_equal(vg_form_parser_feed(p, body, sizeof(body) - 1),
	    VG_ETOOBIG);
	assert_int_equal(count_fds(), fds);
	assert_int_equal(count_entries(updir), 1);
	assert_int_equal(vg_form_parser_feed(p, "x", 1), VG_ETOOBIG);
	assert_int_equal(vg_form_parser_finish(p, &f), VG_ETOOBIG);
	vg_form_parser_cleanup(p);
	assert_int_equal(count_entries(updir), 0);
	vg_arena_free(a);
	assert_int_equal(count_fds(), fds);
}

static void
test_mp_big_file(void **state)
{
	/* Bigger than the write buffer, in odd-sized pieces. */
	vg_form_limits lim = limits();
	vg_arena *a = vg_arena_new();
	vg_form_parser *p;
	vg_form *f;
	const char *head = PART("Content-Disposition: form-data; "
	    "name=\"f\"; filename=\"big.bin\"", "");
	const char *tail = CRLF END;
	size_t n = 100000, i, step, len;
	char *data = malloc(n), *content;

	VG_UNUSED(state);
	assert_non_null(data);
	for (i = 0; i < n; i++)
		data[i] = (char)(i * 7 + (i >> 8));
	assert_int_equal(vg_form_parser_new(a, MP, &lim, &p), VG_OK);
	/* head ends with the part's CRLF, which belongs to its end. */
	assert_int_equal(vg_form_parser_feed(p, head, strlen(head) - 2),
	    VG_OK);
	for (i = 0; i < n; i += step) {
		step = 1 + (i % 9001);
		if (step > n - i)
			step = n - i;
		assert_int_equal(vg_form_parser_feed(p, data + i, step),
		    VG_OK);
	}
	assert_int_equal(vg_form_parser_feed(p, tail, strlen(tail)), VG_OK);
	assert_int_equal(vg_form_parser_finish(p, &f), VG_OK);
	assert_int_equal(f->first->size, n);
	content = read_file(f->first->path, &len);
	assert_int_equal(len, n);
	assert_memory_equal(content, data, n);
	free(content);
	free(data);
	vg_form_parser_cleanup(p);
	assert_int_equal(count_entries(updir), 0);
	vg_arena_free(a);
}

static void
test_mp_no_upload_dir(void **state)
{
	static const char file[] =
	    TEXT("a", "1")
	    PART("Content-Disposition: form-data; name=\"f\"; "
	        "filename=\"x.txt\"", "data")
	    END;
	static const char nofile[] =
	    PART("Content-Disposition: form-data; name=\"f\"; filename=\"\"" CRLF
	        "Content-Type: application/octet-stream", "")
	    END;
	vg_form_limits lim = limits();
	char *d;

	VG_UNUSED(state);
	lim.upload_dir = NULL;
	assert_int_equal(parse_whole(MP, &lim, file, NULL), VG_EINVAL);
	assert_int_equal(parse_whole(MP, &lim, nofile, &d), VG_OK);
	assert_string_equal(d, "1\n[f]=[] fn= ct=application/octet-stream "
	    "size=0\n");
	free(d);
	assert_int_equal(count_entries(updir), 0);
}

static void
test_mp_empty_filename(void **state)
{
	static const char body[] =
	    PART("Content-Disposition: form-data; name=\"f\"; filename=\"\"" CRLF
	        "Content-Type: application/octet-stream", "")
	    TEXT("t", "x")
	    END;
	vg_arena *a = vg_arena_new();
	vg_form_limits lim = limits();
	vg_form_parser *p;
	vg_form *f;
	const vg_form_field *fl;

	VG_UNUSED(state);
	assert_int_equal(vg_form_parser_new(a, MP, &lim, &p), VG_OK);
	assert_int_equal(vg_form_parser_feed(p, body, sizeof(body) - 1),
	    VG_OK);
	assert_int_equal(vg_form_parser_finish(p, &f), VG_OK);
	assert_int_equal(f->count, 2);
	fl = vg_form_field_get(f, "f");
	assert_non_null(fl);
	assert_string_equal(fl->filename, "");
	assert_null(fl->path);
	assert_int_equal(fl->size, 0);
	assert_null(vg_form_get(f, "f"));
	assert_string_equal(vg_form_get(f, "t"), "x");
	assert_int_equal(count_entries(updir), 0);
	vg_form_parser_cleanup(p);
	vg_arena_free(a);
}

static void
test_mp_every_split(void **state)
{
	static const char body[] =
	    "pre\r\n--XyZ\r\n"
	    TEXT("a", "v\r\n--XyZz\r")
	    PART("Content-Disposition: form-data; name=\"f\"; "
	        "filename=\"f.bin\"" CRLF "Content-Type: image/png",
	        "\r\r\n\r\n--\r\n--X\r\n--XyZzZ")
	    TEXT("b", "")
	    END "post";
	vg_form_limits lim = limits();
	char *expect;

	VG_UNUSED(state);
	assert_int_equal(parse_whole(MP, &lim, body, &expect), VG_OK);
	assert_string_equal(expect,
	    "3\n"
	    "[a]=[v\r\n--XyZz\r] fn=(null) ct=(null) size=0\n"
	    "[f]=[] fn=f.bin ct=image/png size=21 "
	    "data=[\r\r\n\r\n--\r\n--X\r\n--XyZzZ]\n"
	    "[b]=[] fn=(null) ct=(null) size=0\n");
	check_every_split(MP, &lim, body, sizeof(body) - 1, expect);
	free(expect);
}

static void
test_mp_truncated(void **state)
{
	static const char body[] =
	    TEXT("a", "1")
	    PART("Content-Disposition: form-data; name=\"f\"; filename=\"a\"",
	        "abc")
	    END;
	vg_form_limits lim = limits();
	size_t n = sizeof(body) - 1 - 2, i;   /* END's CRLF is epilogue */
	int fds = count_fds();

	VG_UNUSED(state);
	for (i = 0; i < n; i++) {
		if (parse_cuts(MP, &lim, body, i, NULL, 0, NULL) != VG_EINVAL)
			fail_msg("prefix of %zu bytes accepted", i);
	}
	assert_int_equal(parse_cuts(MP, &lim, body, n, NULL, 0, NULL), VG_OK);
	assert_int_equal(count_entries(updir), 0);
	assert_int_equal(count_fds(), fds);
}

static void
test_mp_missing_name(void **state)
{
	static const char *bad[] = {
		PART("Content-Disposition: form-data; filename=\"x\"", "1") END,
		PART("Content-Disposition: form-data", "1") END,
		PART("Content-Disposition: form-data; name=\"\"", "1") END,
		PART("Content-Disposition: form-data; name=", "1") END,
		PART("Content-Type: text/plain", "1") END,
		"--XyZzY" CRLF CRLF "1" CRLF END,
		PART("Content-Disposition: attachment; name=\"a\"", "1") END,
		PART("Content-Disposition: form-data; name=\"a\"; name=\"b\"",
		    "1") END,
		PART("Content-Disposition: form-data; name=\"a", "1") END,
		PART("Content-Disposition: form-data; name=\"a\"" CRLF
		    "Content-Disposition: form-data; name=\"b\"", "1") END,
		PART("Content-Disposition: form-data; name=\"a\"" CRLF
		    " folded", "1") END,
		PART("Bad Header: x" CRLF
		    "Content-Disposition: form-data; name=\"a\"", "1") END,
	};
	vg_form_limits lim = limits();
	size_t i;

	VG_UNUSED(state);
	for (i = 0; i < VG_ARRAY_LEN(bad); i++) {
		if (parse_whole(MP, &lim, bad[i], NULL) != VG_EINVAL)
			fail_msg("accepted: %s", bad[i]);
	}
	assert_int_equal(count_entries(updir), 0);
}

static void
test_mp_quoted_boundary(void **state)
{
	static const char body[] =
	    "--a b'(c)\r\n"
	    "Content-Disposition: form-data; name=x\r\n\r\n"
	    "val\r\n"
	    "--a b'(c)--";
	vg_form_limits lim = limits();
	char *d;

	VG_UNUSED(state);
	assert_int_equal(parse_whole(
	    "multipart/form-data; boundary=\"a b'(c)\"", &lim, body, &d),
	    VG_OK);
	assert_string_equal(d, "1\n[x]=[val] fn=(null) ct=(null) size=0\n");
	free(d);
	/* Unquoted, with a charset parameter first. */
	assert_int_equal(parse_whole(
	    "multipart/form-data; charset=utf-8; boundary=XyZzY", &lim,
	    TEXT("y", "2") END, &d), VG_OK);
	assert_string_equal(d, "1\n[y]=[2] fn=(null) ct=(null) size=0\n");
	free(d);
}

static void
test_mp_filenames(void **state)
{
	static const struct {
		const char *param;
		const char *want;       /* NULL: VG_EINVAL */
	} cases[] = {
		{"filename=\"C:\\Users\\me\\report.pdf\"", "report.pdf"},
		{"filename=\"../../etc/passwd\"", "passwd"},
		{"filename=\"dir\\\\sub/x.txt\"", "x.txt"},
		{"filename=\"a \\\"quoted\\\" name\"", "a \"quoted\" name"},
		{"filename=plain.txt", "plain.txt"},
		{"filename=\"\xc3\xa9t\xc3\xa9.txt\"", "\xc3\xa9t\xc3\xa9.txt"},
		{"filename*=UTF-8''%E2%82%AC%20rates.txt",
		    "\xe2\x82\xac rates.txt"},
		{"filename=\"fallback\"; filename*=utf-8'fr'a%2Fb.txt",
		    "b.txt"},
		{"filename=\"dir/\"", NULL},
		{"filename=\"..\"", NULL},
		{"filename=\"\xff.txt\"", NULL},
		{"filename*=UTF-8''a%0Ab", NULL},
		{"filename*=ISO-8859-1''%E9", NULL},
		{"filename*=UTF-8''%E2%8", NULL},
		{"filename=\"a\"; filename=\"b\"", NULL},
	};
	vg_form_limits lim = limits();
	vg_buf body = VG_BUF_INIT;
	char *d, want[256];
	size_t i;
	vg_rc rc;

	VG_UNUSED(state);
	for (i = 0; i < VG_ARRAY_LEN(cases); i++) {
		vg_buf_reset(&body);
		vg_buf_printf(&body, "--XyZzY\r\nContent-Disposition: "
		    "form-data; name=\"f\"; %s\r\n\r\nxy\r\n--XyZzY--",
		    cases[i].param);
		rc = parse_whole(MP, &lim, body.data, &d);
		if (cases[i].want == NULL) {
			if (rc != VG_EINVAL)
				fail_msg("%s: got %d", cases[i].param, rc);
			continue;
		}
		if (rc != VG_OK)
			fail_msg("%s: got %d", cases[i].param, rc);
		snprintf(want, sizeof(want), "1\n[f]=[] fn=%s ct=(null) "
		    "size=2 data=[xy]\n", cases[i].want);
		assert_string_equal(d, want);
		free(d);
	}
	vg_buf_free(&body);
	assert_int_equal(count_entries(updir), 0);
}

static void
test_mp_escaped_name(void **state)
{
	vg_form_limits lim = limits();
	char *d;

	VG_UNUSED(state);
	assert_int_equal(parse_whole(MP, &lim,
	    PART("content-disposition:form-data;NAME=\"a\\\"b\\\\c\"  ;  x=y",
	    "1") END, &d), VG_OK);
	assert_string_equal(d, "1\n[a\"b\\c]=[1] fn=(null) ct=(null) size=0\n");
	free(d);
}

static void
test_mp_limits(void **state)
{
	static const char three[] =
	    TEXT("a", "1") TEXT("b", "22") TEXT("c", "333") END;
	vg_form_limits lim = limits();
	vg_buf big = VG_BUF_INIT;
	size_t i;

	VG_UNUSED(state);
	lim.max_fields = 3;
	assert_int_equal(parse_whole(MP, &lim, three, NULL), VG_OK);
	lim.max_fields = 2;
	assert_int_equal(parse_whole(MP, &lim, three, NULL), VG_ETOOBIG);

	lim = limits();
	lim.max_value = 3;
	assert_int_equal(parse_whole(MP, &lim, three, NULL), VG_OK);
	lim.max_value = 2;
	assert_int_equal(parse_whole(MP, &lim, three, NULL), VG_ETOOBIG);

	lim = limits();
	lim.max_name = 3;
	assert_int_equal(parse_whole(MP, &lim, TEXT("abc", "") END, NULL),
	    VG_OK);
	assert_int_equal(parse_whole(MP, &lim, TEXT("abcd", "") END, NULL),
	    VG_ETOOBIG);

	/* A header section over 8 KiB. */
	lim = limits();
	vg_buf_puts(&big, "--XyZzY\r\nContent-Disposition: form-data; "
	    "name=\"a\"\r\n");
	for (i = 0; i < 100; i++)
		vg_buf_printf(&big, "X-Filler-%03zu: %070d\r\n", i, 0);
	vg_buf_puts(&big, "\r\n1\r\n--XyZzY--");
	assert_int_equal(parse_whole(MP, &lim, big.data, NULL), VG_ETOOBIG);
	vg_buf_free(&big);
}

static void
test_mp_bad_text(void **state)
{
	static const char *bad[] = {
		TEXT("a", "\xff") END,
		TEXT("a", "\xc3") END,
		TEXT("a", "x\x01y") END,
		TEXT("a", "\xc2\x9b") END,
		TEXT("\xc3(", "1") END,
		TEXT("a\x7f", "1") END,
	};
	vg_form_limits lim = limits();
	size_t i;

	VG_UNUSED(state);
	for (i = 0; i < VG_ARRAY_LEN(bad); i++)
		assert_int_equal(parse_whole(MP, &lim, bad[i], NULL),
		    VG_EINVAL);
	/* NUL is not text either. */
	assert_int_equal(parse_cuts(MP, &lim, TEXT("a", "\0") END,
	    sizeof(TEXT("a", "\0") END) - 1, NULL, 0, NULL), VG_EINVAL);
}

static void
test_mp_strict_syntax(void **state)
{
	static const char *bad[] = {
		/* LF-only line ends. */
		"--XyZzY\nContent-Disposition: form-data; name=\"a\"\n\n1\n"
		    "--XyZzY--",
		"--XyZzY\r\nContent-Disposition: form-data; name=\"a\"\n\n1\r\n"
		    "--XyZzY--",
		"--XyZzY\r\nContent-Disposition: form-data; name=\"a\"\r\r\n\r\n"
		    "1\r\n--XyZzY--",
		/* The boundary followed by something else. */
		TEXT("a", "1") "--XyZzYz\r\n" END,
		TEXT("a", "1") "--XyZzY-\r\n",
		TEXT("a", "1") "--XyZzY \tx\r\n",
		/* Only a preamble. */
		"no boundary at all",
		"",
	};
	vg_form_limits lim = limits();
	char *d;
	size_t i;

	VG_UNUSED(state);
	for (i = 0; i < VG_ARRAY_LEN(bad); i++) {
		if (parse_whole(MP, &lim, bad[i], NULL) != VG_EINVAL)
			fail_msg("accepted: %s", bad[i]);
	}
	/* Transport padding after a boundary is fine; so is an empty
	 * form and a missing final CRLF. */
	assert_int_equal(parse_whole(MP, &lim,
	    "--XyZzY \t\r\nContent-Disposition: form-data; name=a\r\n\r\n"
	    "1\r\n--XyZzY--", &d), VG_OK);
	assert_string_equal(d, "1\n[a]=[1] fn=(null) ct=(null) size=0\n");
	free(d);
	assert_int_equal(parse_whole(MP, &lim, "--XyZzY--\r\n", &d), VG_OK);
	assert_string_equal(d, "0\n");
	free(d);
}

static void
test_mp_error_cleanup(void **state)
{
	/* Two files written, the third part is wrong: cleanup removes all. */
	static const char body[] =
	    PART("Content-Disposition: form-data; name=\"f\"; filename=\"1\"",
	        "one")
	    PART("Content-Disposition: form-data; name=\"g\"; filename=\"2\"",
	        "two")
	    PART("Content-Disposition: form-data; name=\"h\"; filename=\"3\"",
	        "three")
	    "--XyZzY\r\nContent-Disposition: form-data\r\n\r\n";
	vg_arena *a = vg_arena_new();
	vg_form_limits lim = limits();
	vg_form_parser *p;
	vg_form *f;
	int fds = count_fds();

	VG_UNUSED(state);
	assert_int_equal(vg_form_parser_new(a, MP, &lim, &p), VG_OK);
	assert_int_equal(vg_form_parser_feed(p, body, sizeof(body) - 1),
	    VG_EINVAL);
	assert_int_equal(count_entries(updir), 3);
	assert_int_equal(count_fds(), fds);
	assert_int_equal(vg_form_parser_finish(p, &f), VG_EINVAL);
	vg_form_parser_cleanup(p);
	assert_int_equal(count_entries(updir), 0);
	vg_arena_free(a);

	/* Cleanup in the middle of a file part closes its fd. */
	a = vg_arena_new();
	assert_int_equal(vg_form_parser_new(a, MP, &lim, &p), VG_OK);
	assert_int_equal(vg_form_parser_feed(p, body, 70), VG_OK);
	assert_int_equal(count_fds(), fds + 1);
	vg_form_parser_cleanup(p);
	assert_int_equal(count_fds(), fds);
	assert_int_equal(count_entries(updir), 0);
	vg_arena_free(a);
}

static void
test_mp_kept_upload(void **state)
{
	/* An area renames the file it keeps: cleanup must not mind. */
	static const char body[] =
	    PART("Content-Disposition: form-data; name=\"f\"; filename=\"k\"",
	        "keep me")
	    END;
	vg_arena *a = vg_arena_new();
	vg_form_limits lim = limits();
	vg_form_parser *p;
	vg_form *f;
	char kept[512];
	size_t len;
	char *content;

	VG_UNUSED(state);
	assert_int_equal(vg_form_parser_new(a, MP, &lim, &p), VG_OK);
	assert_int_equal(vg_form_parser_feed(p, body, sizeof(body) - 1),
	    VG_OK);
	assert_int_equal(vg_form_parser_finish(p, &f), VG_OK);
	snprintf(kept, sizeof(kept), "%s.kept", updir);
	assert_int_equal(rename(f->first->path, kept), 0);
	vg_form_parser_cleanup(p);
	content = read_file(kept, &len);
	assert_int_equal(len, 7);
	assert_memory_equal(content, "keep me", 7);
	free(content);
	assert_int_equal(unlink(kept), 0);
	assert_int_equal(count_entries(updir), 0);
	vg_arena_free(a);
}

static int
setup(void **state)
{
	VG_UNUSED(state);
	return mkdtemp(updir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	VG_UNUSED(state);
	/* rmdir fails if a test left a file behind. */
	return rmdir(updir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_basic),
		cmocka_unit_test(test_url_plus_percent),
		cmocka_unit_test(test_url_bad_escapes),
		cmocka_unit_test(test_url_repeated),
		cmocka_unit_test(test_url_empty_pairs),
		cmocka_unit_test(test_url_every_split),
		cmocka_unit_test(test_url_limits),
		cmocka_unit_test(test_url_utf8),
		cmocka_unit_test(test_content_types),
		cmocka_unit_test(test_parse_urlencoded),
		cmocka_unit_test(test_mp_text_and_file),
		cmocka_unit_test(test_mp_file_too_big),
		cmocka_unit_test(test_mp_big_file),
		cmocka_unit_test(test_mp_no_upload_dir),
		cmocka_unit_test(test_mp_empty_filename),
		cmocka_unit_test(test_mp_every_split),
		cmocka_unit_test(test_mp_truncated),
		cmocka_unit_test(test_mp_missing_name),
		cmocka_unit_test(test_mp_quoted_boundary),
		cmocka_unit_test(test_mp_filenames),
		cmocka_unit_test(test_mp_escaped_name),
		cmocka_unit_test(test_mp_limits),
		cmocka_unit_test(test_mp_bad_text),
		cmocka_unit_test(test_mp_strict_syntax),
		cmocka_unit_test(test_mp_error_cleanup),
		cmocka_unit_test(test_mp_kept_upload),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
