"""HTML of the "add articles" panel: what the check read from each file, and what adding did.

Like :mod:`ui.render`, it imports neither gradio nor torch, and escapes everything it interpolates
(file names and article text come from users).
"""
from __future__ import annotations

from typing import Any

from ui.render import esc, format_date, shorten

EXTENSIONS = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")


def files_label(max_mb: float) -> str:
    """The file picker's label, with the formats and the size limit."""
    return (f"Berkas artikel / Article files ({', '.join(EXTENSIONS)}; maks. / max. {max_mb:g} MB "
            "per berkas / per file)")


def check_html(checks: list[Any], errors: list[str]) -> str:
    """A table of the articles found in the checked files (title, outlet, date, size) and the
    problems, for the user to confirm before anything is indexed."""
    rows, problems = [], [f"<li>{esc(e)}</li>" for e in errors]
    for check in checks:
        for doc in check.documents:
            rows.append(f"<tr><td>{esc(check.name)}</td><td>{esc(shorten(doc.title or '–', 80))}</td>"
                        f"<td>{esc(doc.outlet or '–')}</td><td>{esc(format_date(doc.date or doc.date_text, 'id') or '–')}"
                        f"</td><td>{len(doc.text):,}</td></tr>")
        for problem in check.problems:
            problems.append(f"<li><b>{esc(check.name)}</b>: {esc(problem)}</li>")
    parts = ['<div class="ta-upload">']
    if rows:
        parts.append(f"<p>Siap ditambahkan / Ready to add: <b>{len(rows)}</b> artikel / articles. "
                     "Periksa lalu tekan <b>Tambahkan / Add</b>. · Check them, then press <b>Add</b>.</p>"
                     "<table><thead><tr><th>berkas / file</th><th>judul / title</th><th>media / outlet</th>"
                     "<th>tanggal / date</th><th>karakter / chars</th></tr></thead><tbody>"
                     + "".join(rows) + "</tbody></table>")
    else:
        parts.append("<p><b>Tidak ada artikel yang bisa ditambahkan. · No article can be added.</b></p>")
    if problems:
        parts.append('<p class="ta-muted">Dilewati / Skipped:</p><ul class="ta-problems">' + "".join(problems) + "</ul>")
    parts.append("</div>")
    return "".join(parts)


def added_html(ids: list[str], report: Any) -> str:
    """What adding did: the new articles and the index update."""
    return (f'<div class="ta-upload"><p>Ditambahkan / Added: <b>{len(set(ids))}</b> artikel / articles '
            f"({esc(', '.join(sorted(set(ids))))}). Indeks / Index: {report.manifest.n_documents} artikel / "
            f"articles, {report.manifest.n_chunks} bagian / chunks, {report.seconds:.1f} s.</p></div>")


def removed_html(doc_id: str, report: Any) -> str:
    """What removing did."""
    return (f'<div class="ta-upload"><p>Dihapus / Removed: <b>{esc(doc_id)}</b>. Indeks / Index: '
            f"{report.manifest.n_documents} artikel / articles.</p></div>")


def problem_html(message: str) -> str:
    """One problem (nothing was changed)."""
    return (f'<div class="ta-upload ta-problem"><p><b>{esc(message)}</b></p><p class="ta-muted">'
            "Tidak ada yang berubah. · Nothing was changed.</p></div>")
