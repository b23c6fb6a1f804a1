"""The history an audited model keeps: django-simple-history's, minus saves of bookkeeping.

`history = AuditTrail()` on a model writes a historical row at every create, save and delete,
with the user taken from the request (simple_history's HistoryRequestMiddleware, which sees
the API's token user too, since DRF sets it on the request) or from `instance._history_user`
(set by services that run without a request). Bulk writes write theirs through
simple_history's `bulk_create_with_history` / `bulk_update_with_history`.
"""

from simple_history.models import HistoricalRecords


class AuditTrail(HistoricalRecords):
    """HistoricalRecords that skips a save touching only fields it does not keep, and records
    a many-to-many change made from the other side on the objects that keep it.

    A user's `last_login` (written at every sign-in) and `password` (re-hashed on sign-in)
    are not history anyone reads; without this each sign-in would add an empty change.
    `program.officers.add(user)` changes the user's `programs`: simple_history would write
    that on the program (with the user's fields); here each user changed gets the row.
    """

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
            return
        keepers = kwargs["model"]._default_manager  # the side whose field this is
        if action == "pre_clear":
            instance._audit_clearing = list(keepers.filter(**{attr: instance}))
        elif action in ("post_add", "post_remove") and pk_set:
            for keeper in keepers.filter(pk__in=pk_set):
                super().m2m_changed(keeper, action, attr, pk_set, False)
        elif action == "post_clear":
            for keeper in getattr(instance, "_audit_clearing", []):
                super().m2m_changed(keeper, action, attr, pk_set, False)
