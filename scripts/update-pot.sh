#!/bin/sh
# Extract every user-facing string into po/vigie.pot — from the C sources
# (_() and N_()) and from the templates ({{_ …}}) — and merge it into each
# language's catalogue.  French is the source language.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find src -name '*.c' | sort >"$tmp/files"
xgettext --from-code=UTF-8 --language=C -k_ -kN_ --add-comments=TRANSLATORS \
	--package-name=vigie --msgid-bugs-address= -f "$tmp/files" \
	-o "$tmp/c.pot"
python3 scripts/extract-templates.py templates >"$tmp/tmpl.pot"
msgcat --use-first -o po/vigie.pot "$tmp/c.pot" "$tmp/tmpl.pot"
for lang in $(cat po/LINGUAS); do
	if [ -f "po/$lang.po" ]; then
		msgmerge --quiet --update --backup=none "po/$lang.po" po/vigie.pot
	else
		msginit --no-translator --locale="$lang" -i po/vigie.pot -o "po/$lang.po"
	fi
done
echo "po/vigie.pot: $(grep -c '^msgid ' po/vigie.pot) messages"
