"""Every form in the service, found by importing each app's forms modules
and the URL configuration: tests/core/test_form_wording.py builds each one
directly, tests/core/test_error_summary_links.py submits each one's page.
A new form is found here without anyone listing it."""

import importlib
import pkgutil
from pathlib import Path

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.apps import apps
from django.conf import settings

from core.forms import GovUKFormMixin


def _local_form_modules():
    base = Path(settings.BASE_DIR).resolve()
    for app in apps.get_app_configs():
        path = Path(app.path).resolve()
        if base not in path.parents or ".venv" in path.parts:
            continue
        for info in pkgutil.iter_modules([str(path)]):
            if info.name == "forms" or info.name.startswith("forms_"):
                module = importlib.import_module(f"{app.name}.{info.name}")
                yield module
                if info.ispkg:
                    for sub in pkgutil.iter_modules(module.__path__):
                        yield importlib.import_module(f"{module.__name__}.{sub.name}")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def discovered_forms() -> set[str]:
    # The URL configuration imports every view and so every form a page
    # uses, wherever its module lives (procurement/change_forms.py, say).
    importlib.import_module(settings.ROOT_URLCONF)
    modules = {m.__name__ for m in _local_form_modules()}
    local_apps = {
        app.name
        for app in apps.get_app_configs()
        if Path(settings.BASE_DIR).resolve() in Path(app.path).resolve().parents
    }
    return {
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in _subclasses(GovUKFormMixin)
        if issubclass(cls, forms.BaseForm)
        and (cls.__module__ in modules or cls.__module__.split(".")[0] in local_apps)
        and not cls.__module__.startswith("tests.")
    } - {"core.forms.GovUKForm", "core.forms.GovUKModelForm"}


def invalid_answers(form) -> dict:
    """An answer each field must refuse: too long, not a number, not a real
    date, not one of the choices."""
    form.prepare_fields()
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if field.disabled or field.widget.is_hidden:
            continue
        if isinstance(field, DateInputField):
            data.update({f"{key}_0": "31", f"{key}_1": "2", f"{key}_2": "2019"})
        elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            data[key] = "twelve"
        elif isinstance(field, forms.TimeField):
            data[key] = "25:99"
        elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            data[key] = ["not-a-choice"]
        elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            data[key] = "not-a-choice"
        elif isinstance(field, forms.EmailField):
            data[key] = "name at example"
        elif isinstance(field, forms.URLField):
            data[key] = "http://"
        elif isinstance(field, forms.CharField) and field.max_length:
            data[key] = "x" * (field.max_length + 1)
    return data
