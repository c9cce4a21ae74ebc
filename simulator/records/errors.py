"""The attempt store's one error type (re-exported by records.store, where callers import it).

Its own module so that the store implementations can raise it without importing
records.store, which imports them."""


class StoreError(Exception):
    """The store could not do what was asked; the message says why in words a user can act on."""


class NotStored(StoreError):
    """No record with the id asked for is in the store (the id may be of another kind of record)."""
