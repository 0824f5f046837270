"""What the tests of the printed forms share (apps/core/paper.py): the text of a PDF as pdftotext reads it, and
where each name stands in it."""

import subprocess


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()


def order_in(text: str, names) -> list[str]:
    """``names`` in the order they first appear in ``text`` (each must appear)."""
    positions = {name: text.find(name) for name in names}
    assert all(at >= 0 for at in positions.values()), positions
    return sorted(names, key=positions.get)


def assert_sheet(response, *, code_shown: str) -> str:
    """A printed form: a PDF downloaded, with the code printed on it; returns its text."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    text = pdf_text(response.content)
    assert code_shown in text
    return text
