"""`{% error_summary form %}`: the box at the top of a form that lists every error, each
linking to its field (templates/_error_summary.html; the fields are drawn by
templates/_form_fields.html, whose help and error elements carry the ids that Django's
`aria-describedby` names: `<field id>_helptext` and `<field id>_error`)."""

from django import template

register = template.Library()


def summary_items(*forms) -> list[dict]:
    """(anchor, label, message) of every error of these forms (or formsets), fields first in
    their order; errors that belong to no field link to the form itself (anchor None)."""
    items: list[dict] = []
    for form in forms:
        if form is None:
            continue
        if hasattr(form, "forms"):  # a formset: its own errors, then each form's
            items += [{"anchor": None, "label": "", "message": m} for m in form.non_form_errors()]
            items += summary_items(*form.forms)
            continue
        items += [{"anchor": None, "label": "", "message": m} for m in form.non_field_errors()]
        for field in form:
            for message in field.errors:
                items.append({"anchor": _anchor(field), "label": field.label, "message": message})
    return items


def _anchor(field) -> str | None:
    """The id a summary link goes to: the input's; for a group of inputs under one legend
    (radios, boxes, a date range) its first input's, Django's <id>_0."""
    if field.is_hidden or not field.auto_id:
        return None
    return f"{field.auto_id}_0" if field.use_fieldset else field.auto_id


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms, items=None, intro=""):
    """Errors of the forms given, or `items` already made (a list of anchor/label/message);
    `intro`, a sentence under the heading (what happened: "nothing was saved")."""
    return {"items": items if items is not None else summary_items(*forms), "intro": intro}
