/*
 * xlsform.h — questionnaires written as XLSForm (the ODK / KoboToolbox
 * standard): read from an .xlsx workbook (libzip + libxml2) or from one CSV
 * file per sheet, and written back as .xlsx (libxlsxwriter).
 *
 * The result is a form as a jansson object (the one representation the
 * surveys area stores and renders):
 *
 *	{"id": FORM_ID, "title": TITLE, "version": VERSION,
 *	 "default_language": "fr", "languages": ["fr", "en"],
 *	 "pages": [{"name", "label": {LANG: TEXT}, "relevant": EXPR|null,
 *	            "questions": [QUESTION…]}],
 *	 "choices": {LIST: [{"name", "label": {LANG: TEXT}}]}}
 *
 *	QUESTION = {"name", "type", "list": LIST (select_* only),
 *	            "label": {LANG: TEXT}, "hint": {LANG: TEXT},
 *	            "required": bool, "relevant": EXPR|null,
 *	            "constraint": EXPR|null,
 *	            "constraint_message": {LANG: TEXT}, "row": N}
 *
 * Types: text, integer, decimal, date, select_one LIST, select_multiple
 * LIST, note, and Vigie's "departement" (a choice among the official
 * départements, core/territory.h; stored as the code).  begin_group /
 * end_group make a page each (name and label from the begin_group row,
 * its relevant applying to the whole page); questions outside any group
 * form a page of their own per run.  Nested groups, repeats, calculate,
 * other types and unknown columns that change behaviour (appearance
 * values other than empty, choice_filter, default, read_only, …) are
 * refused with their name.  Columns "label::French (fr)" / "label::fr" /
 * "label" (default language) and the same for hint and
 * constraint_message; "required" is yes/true/1 or no/false/0/empty.
 * Languages: those of the label columns; French must be one of them.
 * Settings sheet (optional): form_title, form_id, version,
 * default_language (others refused by name).
 *
 * Every error is VG_EINVAL with one line of French naming the sheet, the
 * row (as the spreadsheet numbers it) and the column:
 *	« survey, ligne 7, colonne relevant : ${age} n'est pas une question
 *	  du formulaire »
 * Checks: names unique and well-formed, lists exist and are non-empty,
 * choice names unique per list, every expression parses (expr.h) and
 * refers only to questions defined before it (constraints may use "."),
 * groups balanced, at least one question, form_id present and made of
 * [a-z0-9_-] (from the file name otherwise: the caller passes it).
 *
 * Where the standard leaves room, Vigie decides:
 *  - a page outside any group has "name": null, "label": {} and
 *    "relevant": null; "version" is "" and "title" the form_id when the
 *    settings give none; hint and constraint_message are {} when empty;
 *  - every question and choice needs a French label (other languages may
 *    leave cells empty); a group's label is optional;
 *  - a language is "Name (code)", a code ("fr", "pt-BR") or a known name
 *    ("English"); a hint or constraint_message column needs a label
 *    column in its language; two columns for the same thing are refused;
 *  - relevant and constraint may not refer to notes, groups or the
 *    question itself; relevant never uses ".", constraint always does;
 *    notes are neither required nor constrained; a group is neither;
 *  - choice names (and list names) may start with a digit ("1") but hold
 *    no space, since a select_multiple's answer joins them with spaces;
 *  - "begin group" / "end group" (the older spelling) are read; required
 *    also reads oui/non, vrai/faux and Excel's TRUE/FALSE cells;
 *  - the refused columns are refused only when a row fills them (an
 *    empty "appearance" column is fine); columns Vigie does not know are
 *    ignored (notes for the authors), and so are other sheets;
 *  - an .xlsx part over 50 MB uncompressed (100 MB for all), a cell
 *    beyond column 200 or over 32,767 bytes (Excel's limit), more than
 *    VG_XLSFORM_MAX_ROWS rows in a sheet, a DTD in any part are refused;
 *    problems of the package itself are named « classeur : … ».
 * The writer puts each question back on its "row" when the rows allow it,
 * so that the row numbers survive a round trip, and fails (VG_EIO, no
 * file left) rather than leave out a cell it cannot write.
 */
#ifndef VG_XLSFORM_H
#define VG_XLSFORM_H

#include <jansson.h>
#include <stddef.h>

#include "core/vg.h"

#define VG_XLSFORM_MAX_FILE ((size_t)20 * 1024 * 1024)
#define VG_XLSFORM_MAX_ROWS 5000

/* Read an .xlsx workbook of len bytes.  default_id names the form when
 * the settings give no form_id (NULL: then form_id is required). */
vg_rc vg_xlsform_read_xlsx(const void *data, size_t len,
    const char *default_id, json_t **form, char *err, size_t errlen);

/* Read the sheets given as CSV texts (core/csv.h); choices and settings
 * may be NULL. */
vg_rc vg_xlsform_read_csv(const char *survey, size_t survey_len,
    const char *choices, size_t choices_len, const char *settings,
    size_t settings_len, const char *default_id, json_t **form, char *err,
    size_t errlen);

/* Write form back as an XLSForm workbook at path (survey, choices and
 * settings sheets; reading it gives the same form).  VG_EIO. */
vg_rc vg_xlsform_write_xlsx(const json_t *form, const char *path);

#endif
