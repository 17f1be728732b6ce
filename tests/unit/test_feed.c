/*
 * test_feed.c — the watch area's feed reader: RSS 2.0 (CDATA, escaped
 * HTML, relative links, guids, dates in several zones, namespaced
 * extensions), RSS 1.0, Atom (xml:base, text constructs of the three
 * types, alternate links, summary against content, published against
 * updated, authors), web pages (title, canonical URL, announced feed),
 * and every refusal: malformed XML with its line, what is neither, empty
 * and oversized documents; the item limit; entity attacks (refused:
 * nothing expanded, nothing loaded) and references in attributes;
 * invalid UTF-8 and other encodings; the text
 * rules (tags, entities, white space, controls, cuts in characters); the
 * dates; canonical URLs; keys.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* mkstemp, setenv */
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "watch/feed.h"

#define NEITHER "ce n'est ni un flux RSS ou Atom, ni une page web"

/* Every attempt libxml2 makes to load an external entity or DTD. */
static int loads;

static xmlParserInputPtr
counting_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	loads++;
	return NULL;
}

/* Parse doc (len bytes) fetched from url; fail the test unless
 * accepted. */
static struct watch_feed *
parse_len(const char *doc, size_t len, const char *url)
{
	struct watch_feed *f = NULL;
	char err[256] = "unset";
	vg_rc rc;

	rc = watch_feed_parse(doc, len, url, &f, err, sizeof(err));
	if (rc != VG_OK)
		fail_msg("rc %d, err \"%s\"", rc, err);
	assert_non_null(f);
	assert_string_equal(err, "");
	return f;
}

/* Parse the string doc; fail the test unless accepted. */
static struct watch_feed *
parse(const char *doc, const char *url)
{
	return parse_len(doc, strlen(doc), url);
}

/* Parse and expect rc with exactly the message want. */
static void
expect_error_len(const char *doc, size_t len, vg_rc want_rc,
    const char *want)
{
	struct watch_feed *f = (struct watch_feed *)1;
	char err[256];
	vg_rc rc;

	rc = watch_feed_parse(doc, len, "https://example.org/", &f, err,
	    sizeof(err));
	if (rc != want_rc)
		fail_msg("rc %d, want %d (err \"%s\")", rc, want_rc, err);
	assert_null(f);
	if (strcmp(err, want) != 0)
		fail_msg("\n got err \"%s\"\nwant err \"%s\"", err, want);
}

/* Parse the string doc and expect VG_EINVAL with exactly want. */
static void
expect_error(const char *doc, const char *want)
{
	expect_error_len(doc, strlen(doc), VG_EINVAL, want);
}

/* got equals want, both possibly NULL. */
static void
expect_str(const char *what, const char *got, const char *want)
{
	if (got == NULL && want == NULL)
		return;
	if (got == NULL || want == NULL || strcmp(got, want) != 0)
		fail_msg("%s:\n got \"%s\"\nwant \"%s\"", what,
		    got ? got : "(null)", want ? want : "(null)");
}

/* Item i of f has exactly these fields. */
static void
expect_item(const struct watch_feed *f, size_t i, const char *guid,
    const char *link, const char *title, const char *summary,
    const char *author, int64_t published)
{
	const struct watch_item *it;

	if (i >= f->nitems)
		fail_msg("item %zu: only %zu items", i, f->nitems);
	it = &f->items[i];
	expect_str("guid", it->guid, guid);
	expect_str("link", it->link, link);
	expect_str("title", it->title, title);
	expect_str("summary", it->summary, summary);
	expect_str("author", it->author, author);
	if (it->published != published)
		fail_msg("item %zu: published %lld, want %lld", i,
		    (long long)it->published, (long long)published);
}

/* The title an RSS item gets from the XML text t (within <title>). */
static char *
rss_title(const char *t)
{
	static const char head[] = "<rss version=\"2.0\"><channel><item>"
	    "<guid>g</guid><title>";
	static const char tail[] = "</title></item></channel></rss>";
	struct watch_feed *f;
	char *doc, *title;

	doc = malloc(strlen(head) + strlen(t) + strlen(tail) + 1);
	assert_non_null(doc);
	sprintf(doc, "%s%s%s", head, t, tail);
	f = parse(doc, NULL);
	assert_int_equal(f->nitems, 1);
	title = strdup(f->items[0].title);
	assert_non_null(title);
	watch_feed_free(f);
	free(doc);
	return title;
}

/* The RSS title written xml reads as want. */
static void
expect_title(const char *xml, const char *want)
{
	char *got = rss_title(xml);

	expect_str(xml, got, want);
	free(got);
}

/* 2026-11-23T10:00:00Z, the moment most tests use. */
#define T0 INT64_C(1795428000)

static const char rss_fr[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
    "  xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
    "  xmlns:atom=\"http://www.w3.org/2005/Atom\">\n"
    "<channel>\n"
    "  <title>Stop Cyberviolences — Actualités</title>\n"
    "  <link>https://www.stop-cyberviolences.example/</link>\n"
    "  <atom:link href=\"https://www.stop-cyberviolences.example/feed/\""
    " rel=\"self\" type=\"application/rss+xml\"/>\n"
    "  <description>Les dernières nouvelles</description>\n"
    "  <image><title>Logo</title><link>https://img.example/</link>"
    "<url>https://img.example/l.png</url></image>\n"
    "  <item>\n"
    "    <title>Harcèlement en ligne : une plainte &amp; un procès</title>\n"
    "    <link>/actualites/2026/11/plainte-proces/?utm_source=rss"
    "#comments</link>\n"
    "    <guid isPermaLink=\"false\">https://www.stop-cyberviolences.example"
    "/?p=1234</guid>\n"
    "    <description><![CDATA[<p>Le tribunal de <strong>Lyon</strong> a "
    "jugé&nbsp;hier une affaire de <a href=\"/x\">cyberharcèlement</a>."
    "</p><p>Suite…</p><script>track('</p>')</script><style>p{}</style>]]>"
    "</description>\n"
    "    <pubDate>Mon, 23 Nov 2026 10:00:00 +0100</pubDate>\n"
    "    <dc:creator><![CDATA[Équipe juridique]]></dc:creator>\n"
    "  </item>\n"
    "  <item>\n"
    "    <title>Second &lt;em&gt;article&lt;/em&gt;</title>\n"
    "    <link>  ../archives/deux.html\n    </link>\n"
    "    <guid>https://www.stop-cyberviolences.example/?p=1235</guid>\n"
    "    <description>&lt;p&gt;Texte &amp;eacute;chappé &amp;amp; "
    "&amp;#233;&lt;/p&gt;</description>\n"
    "    <content:encoded><![CDATA[<p>pas ceci</p>]]></content:encoded>\n"
    "    <pubDate>Tue, 24 Nov 2026 05:00:00 EST</pubDate>\n"
    "    <author>redaction@example.org (La rédaction)</author>\n"
    "    <dc:creator>pas ceci</dc:creator>\n"
    "  </item>\n"
    "  <item>\n"
    "    <title>Only content</title>\n"
    "    <guid>tag-not-a-url</guid>\n"
    "    <content:encoded><![CDATA[<p>Le contenu <b>complet</b></p>]]>"
    "</content:encoded>\n"
    "    <pubDate>24 Nov 2026 12:00 GMT</pubDate>\n"
    "  </item>\n"
    "  <item><description>nothing to know it by</description></item>\n"
    "  <item><title>Perma</title><guid>https://www.example.org/p/9#x"
    "</guid><pubDate>hier</pubDate></item>\n"
    "  <item/>\n"
    "</channel>\n"
    "</rss>\n";

static void
test_rss2(void **state)
{
	struct watch_feed *f;

	(void)state;
	f = parse(rss_fr, "https://www.stop-cyberviolences.example/feed/");
	assert_int_equal(f->kind, WATCH_RSS);
	expect_str("feed title", f->title, "Stop Cyberviolences — Actualités");
	expect_str("feed link", f->link,
	    "https://www.stop-cyberviolences.example/");
	assert_null(f->feed_url);
	assert_int_equal(f->nitems, 4);
	expect_item(f, 0, "https://www.stop-cyberviolences.example/?p=1234",
	    "https://www.stop-cyberviolences.example/actualites/2026/11/"
	    "plainte-proces/?utm_source=rss",
	    "Harcèlement en ligne : une plainte & un procès",
	    "Le tribunal de Lyon a jugé hier une affaire de "
	    "cyberharcèlement. Suite…", "Équipe juridique", T0 - 3600);
	expect_item(f, 1, "https://www.stop-cyberviolences.example/?p=1235",
	    "https://www.stop-cyberviolences.example/archives/deux.html",
	    "Second article", "Texte échappé & é",
	    "redaction@example.org (La rédaction)", T0 + 86400);
	/* A guid that is not a URL is never made a link. */
	expect_item(f, 2, "tag-not-a-url", NULL, "Only content",
	    "Le contenu complet", NULL, T0 + 86400 + 2 * 3600);
	/* A permalink guid (the default) is the link when there is none. */
	expect_item(f, 3, "https://www.example.org/p/9#x",
	    "https://www.example.org/p/9", "Perma", "", NULL, 0);
	watch_feed_free(f);

	/* Without the document's URL, relative links go; a permalink
	 * guid then stands in. */
	f = parse(rss_fr, NULL);
	assert_int_equal(f->nitems, 4);
	assert_null(f->items[0].link);
	expect_str("link 1", f->items[1].link,
	    "https://www.stop-cyberviolences.example/?p=1235");
	watch_feed_free(f);
}

/* RSS 0.91 with its DTD (never loaded) and HTML entities it names. */
static void
test_rss091(void **state)
{
	static const char doc[] =
	    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
	    "<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\"\n"
	    "  \"http://my.netscape.com/publish/formats/rss-0.91.dtd\">\n"
	    "<rss version=\"0.91\"><channel><title>Caf\xe9 &eacute;t&eacute;"
	    "</title><link>http://old.example/</link>\n"
	    "<item><title>Un&nbsp;&laquo;&nbsp;titre&nbsp;&raquo; &inconnue;"
	    "</title><link>http://old.example/1</link>"
	    "<description>&lt;b&gt;gras&lt;/b&gt;&hellip;</description>"
	    "</item></channel></rss>";
	struct watch_feed *f;

	(void)state;
	loads = 0;
	f = parse(doc, NULL);
	assert_int_equal(loads, 0);
	assert_int_equal(f->kind, WATCH_RSS);
	expect_str("title", f->title, "Café été");
	expect_item(f, 0, NULL, "http://old.example/1", "Un « titre »",
	    "gras…", NULL, 0);
	watch_feed_free(f);
}

/* A blank line before the XML declaration, and a BOM. */
static void
test_leading_space(void **state)
{
	struct watch_feed *f;

	(void)state;
	f = parse("\xef\xbb\xbf\n\n  <?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<rss><channel><title>Espacé</title></channel></rss>", NULL);
	expect_str("title", f->title, "Espacé");
	watch_feed_free(f);
	f = parse("\n<?xml version='1.0' encoding='ISO-8859-1'?><rss><channel>"
	    "<title>\xe9t\xe9</title></channel></rss>", NULL);
	expect_str("title", f->title, "été");
	watch_feed_free(f);
}

static void
test_rss1(void **state)
{
	static const char doc[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"\n"
	    "  xmlns=\"http://purl.org/rss/1.0/\"\n"
	    "  xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
	    "<channel rdf:about=\"http://ex.org/rss\"><title>Veille RDF</title>"
	    "<link>http://ex.org/</link><items><rdf:Seq><rdf:li "
	    "rdf:resource=\"http://ex.org/1\"/></rdf:Seq></items></channel>\n"
	    "<item rdf:about=\"http://ex.org/1\"><title>Premier</title>"
	    "<link>http://ex.org/1</link><description>Un texte</description>"
	    "<dc:date>2026-11-23T11:00:00+01:00</dc:date>"
	    "<dc:creator>Léa</dc:creator></item>\n"
	    "<item rdf:about=\"http://ex.org/2\"><title>Second</title>"
	    "<link>http://ex.org/2</link><dc:date>2026-11-23</dc:date></item>\n"
	    "</rdf:RDF>\n";
	struct watch_feed *f;

	(void)state;
	f = parse(doc, "http://ex.org/rss");
	assert_int_equal(f->kind, WATCH_RSS);
	expect_str("title", f->title, "Veille RDF");
	expect_str("link", f->link, "http://ex.org/");
	assert_int_equal(f->nitems, 2);
	expect_item(f, 0, NULL, "http://ex.org/1", "Premier", "Un texte",
	    "Léa", T0);
	expect_item(f, 1, NULL, "http://ex.org/2", "Second", "", NULL,
	    T0 - 36000);
	watch_feed_free(f);
}

static const char atom_doc[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<feed xmlns=\"http://www.w3.org/2005/Atom\"\n"
    "  xmlns:media=\"http://search.yahoo.com/mrss/\"\n"
    "  xml:base=\"https://blog.example.com/fr/\">\n"
    "  <title type=\"html\">&lt;b&gt;Veille&lt;/b&gt; &amp;amp; "
    "signalements</title>\n"
    "  <link rel=\"self\" href=\"/feed.atom\"/>\n"
    "  <link href=\"./\"/>\n"
    "  <updated>2026-11-23T10:00:00Z</updated>\n"
    "  <author><name>Observatoire</name></author>\n"
    "  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>\n"
    "  <entry xml:base=\"2026/11/\">\n"
    "    <title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
    "Deep<b>fakes</b> &amp; <i>chantage</i></div></title>\n"
    "    <link rel=\"alternate\" type=\"application/pdf\" "
    "href=\"rapport.pdf\"/>\n"
    "    <link rel=\"alternate\" type=\"text/html\" "
    "href=\"deepfakes.html\"/>\n"
    "    <link rel=\"self\" href=\"/e/1.atom\"/>\n"
    "    <link rel=\"enclosure\" href=\"audio.mp3\"/>\n"
    "    <id>tag:blog.example.com,2026:1</id>\n"
    "    <published>2026-11-23T11:00:00+01:00</published>\n"
    "    <updated>2026-11-25T00:00:00Z</updated>\n"
    "    <summary>Résumé   en\n      texte brut &lt;pas une balise&gt;"
    "</summary>\n"
    "    <content type=\"html\">&lt;p&gt;Contenu complet&lt;/p&gt;</content>\n"
    "    <author><name>Awa <![CDATA[Diallo]]></name>"
    "<email>awa@example.com</email></author>\n"
    "    <media:title>pas ceci</media:title>\n"
    "  </entry>\n"
    "  <entry>\n"
    "    <title>Second entry</title>\n"
    "    <link href=\"https://Other.Example.COM:443/path/../x?y=1#z\"/>\n"
    "    <id>tag:blog.example.com,2026:2</id>\n"
    "    <updated>2026-11-23T10:00:00Z</updated>\n"
    "    <content type=\"html\">&lt;p&gt;Seulement le &lt;em&gt;contenu"
    "&lt;/em&gt;&lt;/p&gt;</content>\n"
    "    <source><title>Other feed</title><link href=\"http://source/\"/>"
    "<author><name>Autre</name></author></source>\n"
    "  </entry>\n"
    "  <entry xml:base=\"http://relbase.example/dir/sub/\">\n"
    "    <title type=\"text\">Relative &lt;b&gt;literal&lt;/b&gt;</title>\n"
    "    <link href=\"../page\"/>\n"
    "    <id>3</id>\n"
    "    <content src=\"http://ex/out-of-line\" type=\"text/html\"/>\n"
    "    <summary type=\"application/octet-stream\">AAAA</summary>\n"
    "  </entry>\n"
    "</feed>\n";

static void
test_atom(void **state)
{
	struct watch_feed *f;

	(void)state;
	f = parse(atom_doc, "https://blog.example.com/feed.atom");
	assert_int_equal(f->kind, WATCH_ATOM);
	expect_str("title", f->title, "Veille & signalements");
	expect_str("link", f->link, "https://blog.example.com/fr/");
	assert_null(f->feed_url);
	assert_int_equal(f->nitems, 3);
	expect_item(f, 0, "tag:blog.example.com,2026:1",
	    "https://blog.example.com/fr/2026/11/deepfakes.html",
	    "Deepfakes & chantage",
	    "Résumé en texte brut <pas une balise>", "Awa Diallo", T0);
	/* Updated only; the feed's author; <source> ignored. */
	expect_item(f, 1, "tag:blog.example.com,2026:2",
	    "https://other.example.com/x?y=1", "Second entry",
	    "Seulement le contenu", "Observatoire", T0);
	expect_item(f, 2, "3", "http://relbase.example/dir/page",
	    "Relative <b>literal</b>", "", "Observatoire", 0);
	watch_feed_free(f);
}

/* Atom is known by its namespace. */
static void
test_atom_namespace(void **state)
{
	struct watch_feed *f;

	(void)state;
	expect_error("<feed><title>x</title><entry><title>e</title>"
	    "</entry></feed>", NEITHER);
	expect_error("<feed xmlns=\"http://purl.org/atom/ns#\"><title>x"
	    "</title></feed>", NEITHER);
	/* Prefixed, and a foreign <entry> that is not one. */
	f = parse("<a:feed xmlns:a=\"http://www.w3.org/2005/Atom\" "
	    "xmlns:o=\"urn:other\"><a:title>P</a:title><o:entry><a:title>No"
	    "</a:title></o:entry><a:entry><a:title>Yes</a:title><a:id>1</a:id>"
	    "</a:entry></a:feed>", NULL);
	assert_int_equal(f->kind, WATCH_ATOM);
	expect_str("title", f->title, "P");
	assert_int_equal(f->nitems, 1);
	expect_item(f, 0, "1", NULL, "Yes", "", NULL, 0);
	watch_feed_free(f);
}

/* References in attribute values: decoded, except a non-ASCII HTML
 * name, which libxml2 cuts to its first byte: that link is refused. */
static void
test_attribute_references(void **state)
{
	struct watch_feed *f;

	(void)state;
	f = parse("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>1</id>"
	    "<link href=\" http://ex.org/a&amp;b&#233;&lt;&#x41;\n\"/></entry>"
	    "<entry><id>2</id><link href=\"http://ex.org/caf&eacute;\"/>"
	    "</entry></feed>", NULL);
	assert_int_equal(f->nitems, 2);
	expect_str("decoded", f->items[0].link, "http://ex.org/a&b%C3%A9%3CA");
	assert_null(f->items[1].link);
	watch_feed_free(f);
	expect_error("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>3"
	    "</id><link href=\"http://ex.org/&bogus;\"/></entry></feed>",
	    "flux mal formé (ligne 1 : entité inconnue)");
}

static const char page_doc[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"fr\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<title>\n  Association Entr&#39;aide &amp; Écoute — Accueil\n</title>\n"
    "<meta property=\"og:title\" content=\"OG\">\n"
    "<meta name=\"description\" content=\"Nous accompagnons les victimes "
    "de cyberviolences.\">\n"
    "<meta name=\"author\" content=\"Camille\">\n"
    "<meta property=\"article:published_time\" "
    "content=\"2026-11-23T10:00:00Z\">\n"
    "<link rel=\"canonical\" href=\"/accueil/\">\n"
    "<link rel=\"stylesheet\" href=\"s.css\">\n"
    "<link rel=\"alternate\" hreflang=\"en\" href=\"/en/\">\n"
    "<link rel=\"Alternate\" type=\"application/atom+xml; charset=utf-8\" "
    "href=\"feed.atom\">\n"
    "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/rss.xml\">\n"
    "</head>\n"
    "<body><svg><title>Icône</title></svg><h1>Bienvenue</h1><br>\n"
    "<p>Un paragraphe <b>non fermé\n"
    "</body></html>\n";

static void
test_page(void **state)
{
	struct watch_feed *f;

	(void)state;
	f = parse(page_doc, "https://entraide.example/index.php?lang=fr#top");
	assert_int_equal(f->kind, WATCH_PAGE);
	expect_str("title", f->title,
	    "Association Entr'aide & Écoute — Accueil");
	expect_str("link", f->link, "https://entraide.example/accueil/");
	expect_str("feed_url", f->feed_url, "https://entraide.example/feed.atom");
	assert_int_equal(f->nitems, 1);
	expect_item(f, 0, "https://entraide.example/accueil/",
	    "https://entraide.example/accueil/",
	    "Association Entr'aide & Écoute — Accueil",
	    "Nous accompagnons les victimes de cyberviolences.", "Camille",
	    T0);
	watch_feed_free(f);

	/* og:title when there is no <title>; a canonical URL on another
	 * host is not believed; no feed announced. */
	f = parse("<html><head><meta property=\"og:title\" content=\" Titre "
	    "&amp; OG \"><meta name=\"author\" content=\" \">"
	    "<link rel=\"canonical\" href=\"https://evil.example/\">"
	    "<link rel=\"alternate\" type=\"text/html\" href=\"/x\"></head>"
	    "<body></body></html>", "http://Site.Example/p");
	expect_str("title", f->title, "Titre & OG");
	expect_str("link", f->link, "http://site.example/p");
	assert_null(f->feed_url);
	expect_item(f, 0, "http://site.example/p", "http://site.example/p",
	    "Titre & OG", "", NULL, 0);
	watch_feed_free(f);

	/* <base href> for the announced feed. */
	f = parse("<html><head><base href=\"https://cdn.example/b/\">"
	    "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"rss\">"
	    "<title>B</title></head></html>", "https://site.example/");
	expect_str("feed_url", f->feed_url, "https://cdn.example/b/rss");
	expect_str("link", f->link, "https://site.example/");
	watch_feed_free(f);

	/* XHTML behind an XML declaration is a page too. */
	f = parse("<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/"
	    "1999/xhtml\"><head><title>X</title></head><body/></html>",
	    "https://site.example/x");
	assert_int_equal(f->kind, WATCH_PAGE);
	expect_str("title", f->title, "X");
	watch_feed_free(f);

	/* Broken XML that shows HTML: a page without <html>. */
	f = parse("<head><title>Fragment</title></head><body><p>x</body>",
	    "https://site.example/f");
	assert_int_equal(f->kind, WATCH_PAGE);
	expect_str("title", f->title, "Fragment");
	expect_str("link", f->link, "https://site.example/f");
	watch_feed_free(f);

	/* No URL and no title: a page without an item. */
	f = parse("<html><body><p>rien</p></body></html>", NULL);
	assert_int_equal(f->kind, WATCH_PAGE);
	expect_str("title", f->title, "");
	assert_null(f->link);
	assert_int_equal(f->nitems, 0);
	watch_feed_free(f);
}

static void
test_malformed(void **state)
{
	(void)state;
	expect_error("<?xml version=\"1.0\"?>\n<rss>\n<channel>\n"
	    "<item><title>Un</titre></item>\n</channel>\n</rss>\n",
	    "flux mal formé (ligne 4 : balise fermante qui ne correspond "
	    "pas)");
	expect_error("<rss><channel><title>A &nbsp; B &foo;</title></channel>"
	    "</rss>", "flux mal formé (ligne 1 : entité inconnue)");
	expect_error("\n\n<rss><channel><item><title>x & y</title></item>"
	    "</channel></rss>",
	    "flux mal formé (ligne 3 : « & » ou « < » isolé dans le texte)");
	expect_error("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<entry>\n",
	    "flux mal formé (ligne 3 : balise jamais fermée)");
	expect_error("<rss><channel></channel></rss>\n<rss/>",
	    "flux mal formé (ligne 2 : contenu après l'élément racine)");
	expect_error("\xef\xbb\xbf  <?xml version=\"1.0\"?>",
	    "flux mal formé (ligne 1 : document vide ou sans élément)");
	/* White space before the declaration is forgiven, and lines are
	 * still those of the whole document. */
	expect_error("\r\n\n <?xml version=\"1.0\"?>\n<rss><channel>\n"
	    "<title>x</channel></rss>",
	    "flux mal formé (ligne 5 : balise fermante qui ne correspond "
	    "pas)");
	expect_error("<rss><channel><title a=\"1\" a=\"2\">x</title></channel>"
	    "</rss>", "flux mal formé (ligne 1 : attribut mal formé)");
	/* Claims to be a feed: no fallback to HTML, even with HTML in it. */
	expect_error("<?xml version=\"1.0\"?>\n<head><title>x</title></head>"
	    "<body><br></body>",
	    "flux mal formé (ligne 2 : contenu après l'élément racine)");
	expect_error("<rss version=\"2.0\"><channel><title>Page</title>"
	    "<br></channel></rss>",
	    "flux mal formé (ligne 1 : balise fermante qui ne correspond "
	    "pas)");
	/* A DTD cut short among entity declarations (found by the fuzzer:
	 * the document libxml2 keeps them in leaked). */
	expect_error("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY a \"aa\">"
	    "<!ENTITY b \"&a;&a;\"><!ENTITY e SYSTEM \"file:///etc></rss>\n",
	    "flux mal formé (ligne 3 : XML invalide)");
	/* A feed's root makes the claim too. */
	expect_error("<!-- generator -->\n<rss><channel><item>\n</rss>",
	    "flux mal formé (ligne 3 : balise fermante qui ne correspond "
	    "pas)");
}

static void
test_neither(void **state)
{
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
	struct watch_feed *f = (struct watch_feed *)1;
	char err[256];

	(void)state;
	expect_error("", NEITHER);
	expect_error_len(NULL, 0, VG_EINVAL, NEITHER);
	expect_error("  \n\t\r\n", NEITHER);
	expect_error("\xef\xbb\xbf", NEITHER);
	expect_error("{\"items\": [{\"title\": \"<rss>\"}]}", NEITHER);
	expect_error("Bonjour, ceci est du texte.", NEITHER);
	expect_error_len(png, sizeof(png) - 1, VG_EINVAL, NEITHER);
	/* Well-formed XML of another kind, even with a <title>. */
	expect_error("<svg xmlns=\"http://www.w3.org/2000/svg\"><title>x"
	    "</title></svg>", NEITHER);
	expect_error("<?xml version=\"1.0\"?><opml version=\"2.0\"><head>"
	    "<title>Abonnements</title></head><body/></opml>", NEITHER);
	/* Broken markup that shows no HTML. */
	expect_error("<a><b></a>", NEITHER);
	/* A small err buffer is cut, not overrun; no out: refused. */
	assert_int_equal(watch_feed_parse("{}", 2, NULL, &f, err, 8),
	    VG_EINVAL);
	assert_null(f);
	assert_string_equal(err, "ce n'es");
	assert_int_equal(watch_feed_parse("<rss/>", 6, NULL, NULL, err,
	    sizeof(err)), VG_EINVAL);
	watch_feed_free(NULL);
}

static void
test_sizes(void **state)
{
	static const char doc[] = "<rss><channel><title>Gros</title>"
	    "</channel></rss>";
	struct watch_feed *f;
	char *big;
	size_t n = WATCH_FEED_MAX_BYTES;

	(void)state;
	big = malloc(n + 1);
	assert_non_null(big);
	memset(big, ' ', n + 1);
	memcpy(big, doc, strlen(doc));
	expect_error_len(big, n + 1, VG_ETOOBIG,
	    "document trop gros (plus de 8 Mo)");
	f = parse_len(big, n, NULL);
	expect_str("title", f->title, "Gros");
	watch_feed_free(f);
	free(big);
}

static void
test_max_items(void **state)
{
	struct watch_feed *f;
	char *doc, *p;
	size_t i, n = 600;

	(void)state;
	doc = malloc(n * 100 + 100);
	assert_non_null(doc);
	p = doc + sprintf(doc, "<rss><channel>");
	for (i = 0; i < n; i++)
		p += sprintf(p, "<item><title>Article n°%zu</title>"
		    "<guid>id-%zu</guid></item>\n", i, i);
	sprintf(p, "<title>Après</title></channel></rss>");
	f = parse(doc, NULL);
	assert_int_equal(f->nitems, WATCH_FEED_MAX_ITEMS);
	expect_item(f, 0, "id-0", NULL, "Article n°0", "", NULL, 0);
	expect_item(f, WATCH_FEED_MAX_ITEMS - 1, "id-499", NULL,
	    "Article n°499", "", NULL, 0);
	/* The channel is still read after the items dropped. */
	expect_str("title", f->title, "Après");
	watch_feed_free(f);
	free(doc);
}

static void
test_billion_laughs(void **state)
{
	static const char doc[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE lolz [\n"
	    " <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	    "]>\n"
	    "<rss><channel><item><title>&lol9;</title><guid>g</guid></item>"
	    "</channel></rss>\n";
	struct watch_feed *f;
	char *quad, *p;
	size_t i;
	clock_t t = clock();

	(void)state;
	loads = 0;
	expect_error(doc, "flux mal formé (ligne 14 : entité inconnue)");
	assert_true(clock() - t < 5 * CLOCKS_PER_SEC);

	/* The quadratic blowup: a 100 KB entity referenced 20 000 times
	 * (2 GB once expanded) is refused just as fast.  (The time bounds
	 * are loose enough for valgrind; an expansion would take far
	 * longer.) */
	quad = malloc(300000);
	assert_non_null(quad);
	p = quad + sprintf(quad, "<!DOCTYPE rss [<!ENTITY x \"");
	memset(p, 'x', 100000);
	p += 100000;
	p += sprintf(p, "\">]>\n<rss><channel><title>");
	for (i = 0; i < 20000; i++)
		p += sprintf(p, "&x;");
	sprintf(p, "</title></channel></rss>");
	t = clock();
	expect_error(quad, "flux mal formé (ligne 2 : entité inconnue)");
	assert_true(clock() - t < 5 * CLOCKS_PER_SEC);
	free(quad);

	/* The document's declarations are never used: an HTML name reads
	 * from our table whatever the document says it is; a declaration
	 * of &nbsp; (a common way to make it legal) is harmless. */
	f = parse("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY eacute "
	    "\"PIRATE\"><!ENTITY nbsp \"&#160;\">]>\n<rss><channel><title>"
	    "caf&eacute;&nbsp;!</title></channel></rss>", NULL);
	expect_str("title", f->title, "café !");
	watch_feed_free(f);
	expect_error("<!DOCTYPE rss [<!ENTITY a \"aaaa\">]><rss><channel>"
	    "<title x=\"&a;\">t</title></channel></rss>",
	    "flux mal formé (ligne 1 : entité inconnue)");
	assert_int_equal(loads, 0);
}

static void
test_external_entities(void **state)
{
	char path[] = "/tmp/test_feed_secretXXXXXX";
	char doc[1024];
	struct watch_feed *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "SECRET-MARKER-42", 16), 16);
	close(fd);
	loads = 0;

	/* A general entity: refused, the file never opened. */
	snprintf(doc, sizeof(doc), "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE rss [<!ENTITY e SYSTEM \"file://%s\">]>\n"
	    "<rss><channel><title>t&e;</title></channel></rss>", path);
	expect_error(doc, "flux mal formé (ligne 3 : entité inconnue)");
	snprintf(doc, sizeof(doc), "<!DOCTYPE rss [<!ENTITY e SYSTEM "
	    "\"file://%s\">]><rss><channel><item><link>http://x/"
	    "</link><title a=\"&e;\">x</title></item></channel></rss>", path);
	expect_error(doc, "flux mal formé (ligne 1 : entité inconnue)");

	/* An external DTD is never loaded: its entities stay unknown
	 * references, dropped, and the feed is read. */
	snprintf(doc, sizeof(doc), "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE rss SYSTEM \"file://%s\">\n"
	    "<rss><channel><title>ok&secret;&eacute;</title></channel></rss>",
	    path);
	f = parse(doc, NULL);
	expect_str("title", f->title, "oké");
	watch_feed_free(f);

	/* A parameter entity, by file or by the network: refused, never
	 * fetched. */
	snprintf(doc, sizeof(doc), "<!DOCTYPE rss [<!ENTITY %% p SYSTEM "
	    "\"file://%s\"> %%p;]><rss><channel><title>n</title></channel>"
	    "</rss>", path);
	expect_error(doc, "flux mal formé (ligne 1 : entité inconnue)");
	expect_error("<!DOCTYPE rss [<!ENTITY % p SYSTEM "
	    "\"http://127.0.0.1:9/x.dtd\"> %p;]><rss><channel><title>h"
	    "</title></channel></rss>",
	    "flux mal formé (ligne 1 : entité inconnue)");

	assert_int_equal(loads, 0);
	unlink(path);
}

static void
test_encodings(void **state)
{
	struct watch_feed *f;

	(void)state;
	/* Malformed UTF-8 (and a control) is replaced, not fatal. */
	f = parse("<rss><channel><item><title>caf\xc3 cr\xe8me \xff\x01!"
	    "</title><guid>g\xc0\xaf</guid><link>http://ex.org/\xe9t\xe9"
	    "</link></item></channel></rss>", NULL);
	expect_item(f, 0, "g\xef\xbf\xbd\xef\xbf\xbd",
	    "http://ex.org/%EF%BF%BDt%EF%BF%BD",
	    "caf\xef\xbf\xbd cr\xef\xbf\xbdme \xef\xbf\xbd\xef\xbf\xbd!", "",
	    NULL, 0);
	watch_feed_free(f);
	/* Latin-1 and Windows-1252 declared are decoded. */
	f = parse("<?xml version='1.0' encoding='ISO-8859-1'?><rss><channel>"
	    "<item><title>Caf\xe9 cr\xe8me</title><guid>g</guid></item>"
	    "</channel></rss>", NULL);
	expect_str("title", f->items[0].title, "Café crème");
	watch_feed_free(f);
	f = parse("<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss>"
	    "<channel><title>l\x92\xe9t\xe9 \x96 \x80</title></channel></rss>",
	    NULL);
	expect_str("title", f->title, "l’été – €");
	watch_feed_free(f);
	/* UTF-16 with its BOM. */
	{
		static const char u16[] = "\xff\xfe<\0r\0s\0s\0>\0<\0c\0h\0a\0"
		    "n\0n\0e\0l\0>\0<\0t\0i\0t\0l\0e\0>\0\xe9\0t\0\xe9\0<\0/\0t\0"
		    "i\0t\0l\0e\0>\0<\0/\0c\0h\0a\0n\0n\0e\0l\0>\0<\0/\0r\0s\0s\0"
		    ">\0";

		f = parse_len(u16, sizeof(u16) - 1, NULL);
		expect_str("title", f->title, "été");
		watch_feed_free(f);
	}
}

static void
test_text(void **state)
{
	char big[700 * 2 + 1], want[500 * 2 + 4], *p;
	struct watch_feed *f;
	size_t i;

	(void)state;
	expect_title("  Un\n\t titre   sur\r\n plusieurs   lignes  ",
	    "Un titre sur plusieurs lignes");
	expect_title("&#160;a&#x2009;b&#8239;c&#xA0;", "a b c");
	expect_title("abc&#x202E;def&#x2066;g&#xFEFF;h&#x200B;i", "abcdefghi");
	expect_title("a&#x85;b&#x9F;c&#x7F;d", "a bcd");
	expect_title("<![CDATA[a&#1;b&#0;c&#xD800;d&#x110000;e]]>",
	    "ab\xef\xbf\xbd" "c\xef\xbf\xbd" "d\xef\xbf\xbd" "e");
	expect_title("<![CDATA[&#150; &#146; &#x80; &#129;]]>", "– ’ €");
	expect_title("<![CDATA[<!-- cache --><p>a</p><script>var x = "
	    "'</p>';</script>b<STYLE>.c{}</STYLE>c<br/>d]]>", "a bc d");
	expect_title("<![CDATA[&bogus; &amp &amp; &AMP; &#; &#x;]]>",
	    "&bogus; &amp & &AMP; &#; &#x;");
	expect_title("<![CDATA[a < b > c]]>", "a < b > c");
	expect_title("<![CDATA[un<img src=\"x>y\" alt='>'>deux]]>",
	    "un deux");
	expect_title("<![CDATA[<a href=x>lien</a>,<em>mot</em>]]>",
	    "lien,mot");
	expect_title("<![CDATA[texte <a href='x]]>", "texte");
	expect_title("<![CDATA[<!-- jamais fermé]]>", "");
	expect_title("&lt;p&gt;&amp;lt;b&amp;gt;&lt;/p&gt;", "<b>");
	expect_title("<![CDATA[&eacute;l&egrave;ve &oelig;uvre &hellip; "
	    "&laquo;&nbsp;ok&nbsp;&raquo; &euro;]]>",
	    "élève œuvre … « ok » €");
	expect_title("", "");

	/* Cut in characters, never inside one, with an ellipsis. */
	for (i = 0; i < 700; i++)
		memcpy(big + 2 * i, "\xc3\xa9", 2);
	big[sizeof(big) - 1] = '\0';
	for (p = want, i = 0; i < WATCH_TITLE_MAX - 1; i++, p += 2)
		memcpy(p, "\xc3\xa9", 2);
	strcpy(p, "\xe2\x80\xa6");
	expect_title(big, want);
	/* Exactly the limit: no cut. */
	big[WATCH_TITLE_MAX * 2] = '\0';
	expect_title(big, big);

	/* A summary of 1000 words: 500 of them, then "…". */
	{
		char *doc = malloc(10000), *sum = malloc(2100);

		assert_non_null(doc);
		assert_non_null(sum);
		p = doc + sprintf(doc, "<rss><channel><item><guid>g</guid>"
		    "<description>");
		for (i = 0; i < 1000; i++)
			p += sprintf(p, "mot\n");
		sprintf(p, "</description></item></channel></rss>");
		for (p = sum, i = 0; i < 500; i++)
			p += sprintf(p, i ? " mot" : "mot");
		strcpy(p, "\xe2\x80\xa6");
		f = parse(doc, NULL);
		expect_str("summary", f->items[0].summary, sum);
		watch_feed_free(f);
		free(doc);
		free(sum);
	}
}

static void
test_dates(void **state)
{
	static const struct {
		const char *s;
		int64_t want;
	} cases[] = {
		/* RFC 822 / 1123 / 2822 */
		{"Mon, 23 Nov 2026 10:00:00 +0100", T0 - 3600},
		{"Mon, 23 Nov 2026 10:00:00 GMT", T0},
		{"Mon, 23 Nov 2026 10:00:00 UT", T0},
		{"Mon, 23 Nov 2026 10:00:00 UTC", T0},
		{"Mon, 23 Nov 2026 10:00:00 Z", T0},
		{"Mon, 23 Nov 2026 10:00:00 -0000", T0},
		{"Mon, 23 Nov 2026 05:00:00 EST", T0},
		{"Mon, 23 Nov 2026 06:00:00 EDT", T0},
		{"Mon, 23 Nov 2026 02:00:00 PST", T0},
		{"Mon, 23 Nov 2026 11:00:00 CET", T0},
		{"Mon, 23 Nov 2026 12:00:00 CEST", T0},
		{"Mon, 23 Nov 2026 10:00:00 A", T0},   /* military: as UTC */
		{"Mon, 23 Nov 2026 10:00:00 +01:00", T0 - 3600},
		{"Mon, 23 Nov 2026 07:30:00 -0230", T0},
		{"23 Nov 2026 10:00:00 +0000", T0},
		{"Mon, 23 Nov 2026 10:00 GMT", T0},
		{"23 Nov 2026 10:00", T0},
		{"Mon, 23 Nov 26 10:00:00 GMT", T0},
		{"Tue, 23 Nov 99 10:00:00 GMT", INT64_C(943351200)},
		{"Tue, 23 Nov 099 10:00:00 GMT", INT64_C(943351200)},
		{"Monday, 23 November 2026 10:00:00 GMT", T0},
		{"mon, 23 nov 2026 10:00:00 gmt", T0},
		{"Mon,23 Nov 2026 10:00:00 GMT", T0},
		{"  Mon, 23 Nov 2026 10:00:00 GMT  ", T0},
		{"Mon, 23 Nov 2026 10:00:00 GMT (heure de Londres)", T0},
		{"23-Nov-2026 10:00:00 GMT", T0},
		{"Mon, 3 Nov 2026 10:00:00 GMT", T0 - 20 * 86400},
		{"Thu, 29 Feb 2024 00:00:00 GMT", INT64_C(1709164800)},
		{"Wed, 1 Mar 2000 12:34:56 +0000", INT64_C(951914096)},
		{"Mon, 23 Nov 2026", T0 - 36000},
		/* RFC 3339 and W3C-DTF */
		{"2026-11-23T10:00:00Z", T0},
		{"2026-11-23T11:00:00+01:00", T0},
		{"2026-11-23T05:30:00-04:30", T0},
		{"2026-11-23T10:00:00.123456789Z", T0},
		{"2026-11-23T10:00:00,5Z", T0},
		{"2026-11-23t10:00:00z", T0},
		{"2026-11-23 10:00:00", T0},
		{"2026-11-23T10:00:00", T0},
		{"2026-11-23T10:00Z", T0},
		{"2026-11-23T11:00:00+0100", T0},
		{"2026-11-23T10:00:00 +00:00", T0},
		{"2026-11-23", T0 - 36000},
		{"2026-11", INT64_C(1793491200)},
		{"2026", INT64_C(1767225600)},
		{"1970-01-02T00:00:00Z", 86400},
		{"9999-12-31T23:59:59Z", INT64_C(253402300799)},
		{"2026-12-31T23:59:60Z", INT64_C(1798761600)},
		/* Unreadable or before 1970: 0 */
		{"", 0},
		{"hier", 0},
		{"1969-12-31T23:59:59Z", 0},
		{"1970-01-01T00:00:00Z", 0},
		{"2026-02-29T00:00:00Z", 0},
		{"2026-13-01", 0},
		{"2026-11-31", 0},
		{"2026-11-23T24:00:00Z", 0},
		{"2026-11-23T10:60:00Z", 0},
		{"2026-11-23T10:00:00+25:00", 0},
		{"2026-11-23T10:00:00Zjunk", 0},
		{"2026-11-23T10", 0},
		{"2026-1-23", 0},
		{"Mon, 32 Nov 2026 10:00:00 GMT", 0},
		{"Mon, 23 Foo 2026 10:00:00 GMT", 0},
		{"Mon, 23 Nov 2026 10:00:00 +9999", 0},
		{"Mon, 23 Nov 2026 10:00:00 GMT extra", 0},
		{"Mon, 23 Nov 2026 10:00:00 GMT (open", 0},
		{"Mon, 23 Nov 2026 10:0:00 GMT", 0},
		{"Xyz, 23 Nov 2026 10:00:00 GMT", 0},
		{"Mon, 23 Nov 1 10:00:00 GMT", 0},
		{"Mon, 23 Nov 2026 10:00:00 J", 0},
		{"Mon, 23 Nov 2026 10:00:00 ABCDEFG", 0},
		{"23/11/2026", 0},
	};
	size_t i;
	int64_t got;

	(void)state;
	assert_int_equal(watch_parse_date(NULL), 0);
	for (i = 0; i < VG_ARRAY_LEN(cases); i++) {
		got = watch_parse_date(cases[i].s);
		if (got != cases[i].want)
			fail_msg("\"%s\": %lld, want %lld", cases[i].s,
			    (long long)got, (long long)cases[i].want);
	}
	/* The process's TZ changes nothing. */
	setenv("TZ", "America/St_Johns", 1);
	tzset();
	assert_int_equal(watch_parse_date("Mon, 23 Nov 2026 10:00:00 GMT"),
	    T0);
	assert_int_equal(watch_parse_date("2026-11-23T10:00:00"), T0);
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	assert_int_equal(watch_parse_date("2026-11-23"), T0 - 36000);
	unsetenv("TZ");
	tzset();
}

static void
test_canonical(void **state)
{
	static const struct {
		const char *url, *base, *want;
	} cases[] = {
		/* Case, default ports, empty path, fragment. */
		{"HTTP://WWW.Example.COM/Path", NULL,
		    "http://www.example.com/Path"},
		{"http://example.com", NULL, "http://example.com/"},
		{"http://example.com?q", NULL, "http://example.com/?q"},
		{"http://example.com:80/a", NULL, "http://example.com/a"},
		{"https://example.com:443/a", NULL, "https://example.com/a"},
		{"https://example.com:80/a", NULL, "https://example.com:80/a"},
		{"http://example.com:8080/", NULL, "http://example.com:8080/"},
		{"http://example.com:/a", NULL, "http://example.com/a"},
		{"http://example.com:0080/", NULL, "http://example.com/"},
		{"http://example.com/a#frag", NULL, "http://example.com/a"},
		{"http://example.com/?", NULL, "http://example.com/"},
		/* Dot segments and percent-escapes. */
		{"http://example.com/a/./b/../c/", NULL,
		    "http://example.com/a/c/"},
		{"http://example.com/../../x", NULL, "http://example.com/x"},
		{"http://example.com/%7Euser/%7e/%41", NULL,
		    "http://example.com/~user/~/A"},
		{"http://example.com/a%2fb%3a%c3%a9", NULL,
		    "http://example.com/a%2Fb%3A%C3%A9"},
		{"http://example.com/%2E%2E/x/%2e", NULL,
		    "http://example.com/x/"},
		{"http://example.com/100%", NULL, "http://example.com/100%25"},
		{"http://example.com/%zz", NULL, "http://example.com/%25zz"},
		{"http://example.com/a b?c d", NULL,
		    "http://example.com/a%20b?c%20d"},
		{"http://example.com/é?q=ü", NULL,
		    "http://example.com/%C3%A9?q=%C3%BC"},
		{"http://example.com/a\"<>\\^`{|}[]", NULL,
		    "http://example.com/a%22%3C%3E%5C%5E%60%7B%7C%7D%5B%5D"},
		{"http://example.com/p?b=2&a=1&c=/?:@", NULL,
		    "http://example.com/p?b=2&a=1&c=/?:@"},
		{"  https://example.com/x \n", NULL, "https://example.com/x"},
		/* Hosts. */
		{"http://user:secret@example.com/", NULL, "http://example.com/"},
		{"http://a@b@example.com/", NULL, "http://example.com/"},
		{"http://ex%41mple.com/", NULL, "http://example.com/"},
		{"http://[2001:DB8::1]:8080/", NULL, "http://[2001:db8::1]:8080/"},
		{"http://[::1]:80", NULL, "http://[::1]/"},
		{"http://xn--bcher-kva.example/", NULL,
		    "http://xn--bcher-kva.example/"},
		{"http://bücher.example/", NULL, "http://bücher.example/"},
		{"http://192.168.0.1:81/", NULL, "http://192.168.0.1:81/"},
		/* Resolution. */
		{"/a/b", "https://example.com/x/y", "https://example.com/a/b"},
		{"c", "https://example.com/x/y", "https://example.com/x/c"},
		{"c", "https://example.com", "https://example.com/c"},
		{"../c", "https://example.com/x/y/z", "https://example.com/x/c"},
		{"../../../c", "https://example.com/x/y",
		    "https://example.com/c"},
		{"./", "https://example.com/x/y", "https://example.com/x/"},
		{"//cdn.example.com/s.js", "https://example.com/",
		    "https://cdn.example.com/s.js"},
		{"?page=2", "https://example.com/list?page=1#top",
		    "https://example.com/list?page=2"},
		{"", "https://example.com/a?b#c", "https://example.com/a?b"},
		{"#x", "https://example.com/a", "https://example.com/a"},
		{"http:rel", "http://example.com/d/f", "http://example.com/d/rel"},
		{"rel", "HTTP://EXAMPLE.com:80/d/", "http://example.com/d/rel"},
		{"https://other.example/", "http://example.com/",
		    "https://other.example/"},
		{"a b", "http://example.com/", "http://example.com/a%20b"},
		/* Refusals. */
		{"javascript:alert(1)", "https://example.com/", NULL},
		{"JaVaScRiPt:alert(1)", NULL, NULL},
		{" javascript:alert(1)", NULL, NULL},
		{"data:text/html,<script>alert(1)</script>", NULL, NULL},
		{"mailto:a@example.com", "https://example.com/", NULL},
		{"ftp://example.com/", NULL, NULL},
		{"file:///etc/passwd", NULL, NULL},
		{"relative/only", NULL, NULL},
		{"relative", "mailto:x@example.com", NULL},
		{"relative", "not a url", NULL},
		{"", NULL, NULL},
		{"http://exa mple.com/", NULL, NULL},
		{"http://example.com/a\nb", NULL, NULL},
		{"http://example.com/a\tb", NULL, NULL},
		{"http://example.com/a\x01" "b", NULL, NULL},
		{"http://example.com/a\x7f" "b", NULL, NULL},
		{"http://example.com/\xff", NULL, NULL},
		{"http://", NULL, NULL},
		{"http:///path", NULL, NULL},
		{"http:/path", NULL, NULL},
		{"http:path", NULL, NULL},
		{"https://exa<mple.com/", NULL, NULL},
		{"http://ex%2Fample.com/", NULL, NULL},
		{"http://ex%C3%A9.com/", NULL, NULL},
		{"http://[::1/", NULL, NULL},
		{"http://[v1.x]/", NULL, NULL},
		{"http://[::1]x/", NULL, NULL},
		{"http://example.com:65536/", NULL, NULL},
		{"http://example.com:8o/", NULL, NULL},
		{"http://example.com:-1/", NULL, NULL},
		{"http://:80/", NULL, NULL},
		{"http://\xc2\x85host/", NULL, NULL},
	};
	char *got, *again, *longurl;
	size_t i;

	(void)state;
	for (i = 0; i < VG_ARRAY_LEN(cases); i++) {
		got = watch_canonical_url(cases[i].url, cases[i].base);
		if ((got == NULL) != (cases[i].want == NULL) ||
		    (got != NULL && strcmp(got, cases[i].want) != 0))
			fail_msg("\"%s\" against \"%s\":\n got \"%s\"\n"
			    "want \"%s\"", cases[i].url, cases[i].base ?
			    cases[i].base : "(null)", got ? got : "(null)",
			    cases[i].want ? cases[i].want : "(null)");
		if (got != NULL) {
			again = watch_canonical_url(got, NULL);
			expect_str("idempotence", again, got);
			free(again);
		}
		free(got);
	}
	assert_null(watch_canonical_url(NULL, "http://example.com/"));

	/* RFC 3986, 5.4: the normal and abnormal examples. */
	{
		static const char *const rfc[][2] = {
			{"g", "http://a/b/c/g"}, {"./g", "http://a/b/c/g"},
			{"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"},
			{"//g", "http://g/"}, {"?y", "http://a/b/c/d;p?y"},
			{"g?y", "http://a/b/c/g?y"}, {"#s", "http://a/b/c/d;p?q"},
			{"g#s", "http://a/b/c/g"}, {";x", "http://a/b/c/;x"},
			{"g;x?y#s", "http://a/b/c/g;x?y"},
			{"", "http://a/b/c/d;p?q"}, {".", "http://a/b/c/"},
			{"./", "http://a/b/c/"}, {"..", "http://a/b/"},
			{"../", "http://a/b/"}, {"../g", "http://a/b/g"},
			{"../..", "http://a/"}, {"../../", "http://a/"},
			{"../../g", "http://a/g"}, {"../../../g", "http://a/g"},
			{"../../../../g", "http://a/g"}, {"/./g", "http://a/g"},
			{"/../g", "http://a/g"}, {"g.", "http://a/b/c/g."},
			{".g", "http://a/b/c/.g"}, {"g..", "http://a/b/c/g.."},
			{"..g", "http://a/b/c/..g"}, {"./../g", "http://a/b/g"},
			{"./g/.", "http://a/b/c/g/"},
			{"g/./h", "http://a/b/c/g/h"},
			{"g/../h", "http://a/b/c/h"},
			{"g;x=1/./y", "http://a/b/c/g;x=1/y"},
			{"g;x=1/../y", "http://a/b/c/y"},
			{"g?y/./x", "http://a/b/c/g?y/./x"},
			{"g#s/../x", "http://a/b/c/g"},
			{"http:g", "http://a/b/c/g"},
		};

		for (i = 0; i < VG_ARRAY_LEN(rfc); i++) {
			got = watch_canonical_url(rfc[i][0],
			    "http://a/b/c/d;p?q");
			expect_str(rfc[i][0], got, rfc[i][1]);
			free(got);
		}
	}

	/* Too long. */
	longurl = malloc(9000);
	assert_non_null(longurl);
	strcpy(longurl, "http://example.com/");
	memset(longurl + 19, 'a', 9000 - 20);
	longurl[8999] = '\0';
	assert_null(watch_canonical_url(longurl, NULL));
	longurl[4000] = '\0';
	got = watch_canonical_url(longurl, NULL);
	expect_str("long", got, longurl);
	free(got);
	free(longurl);
}

static void
test_keys(void **state)
{
	struct watch_item it;
	char *k;

	(void)state;
	memset(&it, 0, sizeof(it));
	it.guid = "tag:x,2026:1";
	it.link = "https://example.org/a";
	it.title = "Titre";
	k = watch_item_key(&it);
	expect_str("guid key", k, "guid:tag:x,2026:1");
	free(k);
	it.guid = "";
	k = watch_item_key(&it);
	expect_str("link key", k, "link:https://example.org/a");
	free(k);
	it.guid = NULL;
	it.link = NULL;
	k = watch_item_key(&it);
	expect_str("title key", k, "title:Titre");
	free(k);
	it.title = NULL;
	k = watch_item_key(&it);
	expect_str("empty key", k, "title:");
	free(k);
	assert_null(watch_item_key(NULL));
}

/* The items of a parsed feed each give their key. */
static void
test_keys_from_feed(void **state)
{
	struct watch_feed *f;
	char *k;

	(void)state;
	f = parse(rss_fr, "https://www.stop-cyberviolences.example/feed/");
	k = watch_item_key(&f->items[0]);
	expect_str("key 0", k, "guid:https://www.stop-cyberviolences.example"
	    "/?p=1234");
	free(k);
	watch_feed_free(f);
	f = parse("<rss><channel><item><title>Sans guid</title>"
	    "<link>HTTP://Ex.org:80/a#b</link></item><item><title>Rien "
	    "d'autre</title></item></channel></rss>", NULL);
	assert_int_equal(f->nitems, 2);
	k = watch_item_key(&f->items[0]);
	expect_str("key link", k, "link:http://ex.org/a");
	free(k);
	k = watch_item_key(&f->items[1]);
	expect_str("key title", k, "title:Rien d'autre");
	free(k);
	watch_feed_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rss2),
		cmocka_unit_test(test_rss091),
		cmocka_unit_test(test_leading_space),
		cmocka_unit_test(test_rss1),
		cmocka_unit_test(test_atom),
		cmocka_unit_test(test_atom_namespace),
		cmocka_unit_test(test_attribute_references),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_neither),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_max_items),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_external_entities),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_keys_from_feed),
	};

	xmlSetExternalEntityLoader(counting_loader);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
