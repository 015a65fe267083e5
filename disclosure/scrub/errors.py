"""What the scrubbers raise when they cannot make a clean copy."""


class UnreadableFile(ValueError):
    """The file is not what its type says, or is damaged."""
