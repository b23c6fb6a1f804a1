"""The history an audited model keeps: django-simple-history's, minus saves of bookkeeping.

`history = AuditTrail()` on a model writes a historical row at every create, save and delete,
with the user taken from the request (simple_history's HistoryRequestMiddleware, which sees
the API's token user too, since DRF sets it on the request) or from `instance._history_user`
(set by services that run without a request). Bulk writes write theirs through
simple_history's `bulk_create_with_history` / `bulk_update_with_history`.
"""

from simple_history.models import HistoricalRecords


class AuditTrail(HistoricalRecords):
    """HistoricalRecords that skips a save touching only fields it does not keep.

    A user's `last_login` (written at every sign-in) and `password` (re-hashed on sign-in)
    are not history anyone reads; without this each sign-in would add an empty change.
    """

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)
