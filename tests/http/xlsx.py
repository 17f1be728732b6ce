"""
xlsx.py — writes small XLSX workbooks (Office Open XML spreadsheets) with
the standard library only, so that tests can hand Vigie real workbooks:
a zip of the parts Excel and LibreOffice write, cells as inline strings
or numbers, addressed by reference (A1, B7…).
"""
import io
import zipfile
from xml.sax.saxutils import escape


def _col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _sheet(rows):
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/'
           'spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, 1):
        out.append('<row r="%d">' % r)
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            ref = "%s%d" % (_col(c), r)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out.append('<c r="%s"><v>%s</v></c>' % (ref, v))
            else:
                out.append('<c r="%s" t="inlineStr"><is><t xml:space='
                           '"preserve">%s</t></is></c>'
                           % (ref, escape(str(v))))
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def workbook(sheets):
    """sheets: [(name, rows)] where rows are lists of cells; returns the
    bytes of an .xlsx file."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/content-types"><Default Extension="rels" '
                   'ContentType="application/vnd.openxmlformats-package.'
                   'relationships+xml"/><Default Extension="xml" '
                   'ContentType="application/xml"/><Override PartName='
                   '"/xl/workbook.xml" ContentType="application/vnd.'
                   'openxmlformats-officedocument.spreadsheetml.sheet.main'
                   '+xml"/>' + "".join(
                       '<Override PartName="/xl/worksheets/sheet%d.xml" '
                       'ContentType="application/vnd.openxmlformats-'
                       'officedocument.spreadsheetml.worksheet+xml"/>' % i
                       for i in range(1, len(sheets) + 1)) + '</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships '
                   'xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships"><Relationship Id="rId1" Type="http://'
                   'schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns='
                   '"http://schemas.openxmlformats.org/spreadsheetml/2006/'
                   'main" xmlns:r="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships"><sheets>' + "".join(
                       '<sheet name="%s" sheetId="%d" r:id="rId%d"/>'
                       % (escape(n), i, i)
                       for i, (n, _) in enumerate(sheets, 1)) +
                   '</sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships '
                   'xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships">' + "".join(
                       '<Relationship Id="rId%d" Type="http://schemas.'
                       'openxmlformats.org/officeDocument/2006/'
                       'relationships/worksheet" Target="worksheets/'
                       'sheet%d.xml"/>' % (i, i)
                       for i in range(1, len(sheets) + 1)) +
                   '</Relationships>')
        for i, (_, rows) in enumerate(sheets, 1):
            z.writestr("xl/worksheets/sheet%d.xml" % i, _sheet(rows))
    return buf.getvalue()
