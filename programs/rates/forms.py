"""Forms of the exchange-rate pages and of the portfolio's currency choice: they parse input only;
the rules are in programs.rates.services."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ExchangeRateImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=_("An .xlsx or .csv file laid out like the template."),
    )


class ConversionForm(forms.Form):
    """The currency the portfolio's totals are shown in; empty: one total per currency."""

    currency = forms.ChoiceField(
        label=_("Show totals in"),
        required=False,
        help_text=_("Each amount converts at the latest rate on or before its own date."),
    )

    def __init__(self, *args, currencies: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [
            ("", _("Each currency apart")),
            *[(code, code) for code in currencies],
        ]
