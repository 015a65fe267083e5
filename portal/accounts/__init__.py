"""Staff accounts: the login with its limits (``login``, ``throttle``), the
second factor (``two_factor``), the password rule (``passwords``), the roles'
names (``roles``), the separation of duties (``duties``), the account trail
(``audit``, ``receivers``, ``audit_export``), the notices to account holders
(``notify``) and the admin of all that (``admin``, ``user_admin``,
``grant_admin``)."""
