"""Official documents (Pedoman Lampiran I to V, letters) rendered as A4 PDFs.

Use ``portal.documents.pdf.render_pdf("documents/<name>.html", **context)``; a
document template extends ``documents/_base.html`` (letterhead, page footer).
"""
