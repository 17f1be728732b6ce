/*
 * csv.h — reading and writing CSV as people's spreadsheets write it.
 *
 * Reading follows RFC 4180 and what French Excel and LibreOffice produce:
 * UTF-8 with or without a byte order mark, ';' or ',' as separator (chosen
 * from the first record: the one of the two that occurs more often outside
 * quotes, ';' on a tie; blank lines before it are passed over), CRLF,
 * LF or CR line ends, quoted fields that may hold separators, quotes ("")
 * and line breaks (kept as they are in the field).  Records whose fields
 * are all empty (";;;" rows Excel leaves) are skipped.  A leading "'" that
 * protects a formula-like cell ('=, '+, '-, '@, and tab or CR) is removed,
 * the inverse of what vg_csv_field() writes: when several "'" precede such
 * a character, one is removed.
 *
 * The whole input is parsed at once (imports are bounded by the upload
 * limit); every row keeps the line number where it starts, so that an
 * importer can name "ligne 12, colonne « email »".  Lines are physical
 * lines of the file, line breaks inside quoted fields counted (CRLF is
 * one), as a text editor numbers them; in messages "colonne 3" is the
 * third field.
 *
 * Writing produces RFC 4180 for machines: ',' separator, CRLF, fields
 * quoted when needed, no BOM (vg_csv_bom() adds one for Excel).
 */
#ifndef VG_CSV_H
#define VG_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/vg.h"

#define VG_CSV_MAX_FIELDS 200        /* per record */
#define VG_CSV_MAX_ROWS 100000
#define VG_CSV_MAX_FIELD (64 * 1024) /* bytes in one field */

typedef struct vg_csv_row {
	size_t line;            /* 1-based line where the record starts */
	size_t n;               /* number of fields (at least 1) */
	const char **field;     /* NUL-terminated UTF-8, never NULL */
} vg_csv_row;

typedef struct vg_csv {
	char delim;             /* ';' or ',' as detected */
	size_t nrows;
	vg_csv_row *rows;       /* rows[0] is the first record (the header) */
	void *priv;             /* storage, freed by vg_csv_free() */
} vg_csv;

/* Parse len bytes of data.  VG_OK and *out (free with vg_csv_free()), or
 * VG_EINVAL with a one-line French message naming the line (and column
 * number where it helps) in err: invalid UTF-8, a NUL byte, an unclosed
 * quote, a quote inside an unquoted field, text after a closing quote,
 * or a limit above exceeded.  VG_CSV_MAX_ROWS counts the rows kept (the
 * header among them), VG_CSV_MAX_FIELD the bytes of a field as returned.
 * An empty input is VG_OK with no rows.  VG_ENOMEM on allocation
 * failure.  err may be NULL; it is "" on success. */
vg_rc vg_csv_parse(const char *data, size_t len, vg_csv **out, char *err,
    size_t errlen);

void vg_csv_free(vg_csv *c);

/* Append one field to b (s NULL writes an empty field), preceded by ','
 * unless first.  Quoted when it holds ',', '"', CR or LF or starts or ends
 * with a space; a value starting with '=', '+', '-', '@', tab or CR that
 * is not a number or a phone number ("+33 1 23…", "-2.5") gets a leading
 * "'" so that a spreadsheet does not run it as a formula.
 *
 * So that vg_csv_parse() gives back exactly the fields written, also
 * quoted when it holds ';' or starts with a byte order mark, and a value
 * whose leading "'"s come before '=', '+', '-', '@', tab or CR gets one
 * more "'".  Two cases do not come back: records whose fields are all empty
 * (skipped), and a first record of one field followed by longer ones (no
 * ',' in the first record to detect). */
void vg_csv_field(vg_buf *b, const char *s, bool first);

/* End the record: CRLF. */
void vg_csv_end(vg_buf *b);

/* The UTF-8 byte order mark, for files meant to be opened in Excel. */
void vg_csv_bom(vg_buf *b);

#endif
