#!/usr/bin/env python3
"""Write a .pot of the {{_ text}} tags of every template under a folder."""
import os
import re
import sys

TAG = re.compile(r"\{\{_\s+(.*?)\s*\}\}", re.S)


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(root):
    seen = {}
    for dirpath, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            if not name.endswith(".html"):
                continue
            path = os.path.join(dirpath, name)
            text = open(path, encoding="utf-8").read()
            for m in TAG.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                seen.setdefault(m.group(1), []).append(f"{path}:{line}")
    out = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for msgid, refs in seen.items():
        out.append("#: " + " ".join(refs))
        out.append("msgid " + quote(msgid))
        out.append('msgstr ""')
        out.append("")
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "templates")
