"""``manage.py check``: the PDF letters need their font."""

from django.core import checks

from . import letters


@checks.register(checks.Tags.compatibility)
def pdf_font(app_configs, **kwargs):
    path = letters.font_path()
    if path.is_file():
        return []
    return [
        checks.Warning(
            f"The font for PDF letters is missing: {path}",
            hint="apt-get install fonts-arphic-uming, or set PORTAL_PDF_FONT to "
            "a TrueType font with Chinese glyphs; DOCX letters work without it.",
            id="disclosure.W101",
        )
    ]
