"""What the scrubbers raise when they cannot make a clean copy. Every one is a
:class:`ScrubError`: the file must not be published (``disclosure.uploads``
refuses it with a message for the clerk)."""


class ScrubError(ValueError):
    """No copy without document metadata could be made."""


class UnreadableFile(ScrubError):
    """The file is not what its type says, or is damaged."""


class EncryptedFile(ScrubError):
    """The file is encrypted (a PDF with a password or permission password):
    its metadata cannot be rewritten."""


class ArchiveTooLarge(ScrubError):
    """A ZIP package (DOCX, XLSX, OFD…) over one of the bounds of
    :class:`disclosure.scrub.zipbounds.ZipLimits`. ``bound`` names it
    (``members``, ``member_bytes``, ``total_bytes``, ``ratio``, ``depth``),
    ``limit`` is its value and ``found`` what the package has (at least)."""

    def __init__(self, bound: str, *, limit: int, found: int):
        super().__init__(f"{bound}: {found} over the limit of {limit}")
        self.bound = bound
        self.limit = limit
        self.found = found
