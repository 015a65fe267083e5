"""The request pages, one module per audience: ``citizen`` (/requests/),
``register`` and ``steps`` (/workspace/requests/), ``appeals`` and
``tables``; ``common`` has what they share."""
