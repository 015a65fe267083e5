"""QuickSelect renders what Django's template-rendered Select renders."""

import pytest
from django import forms
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure.public.widgets import QuickSelect

CHOICES = [("", "全部机构"), ("czj", "财政局"), ("a&b", 'A<"b">'), ("czj", "again")]


@pytest.mark.parametrize("value", [None, "", "czj", "a&b", "missing", 3])
@pytest.mark.parametrize(
    "attrs",
    [
        {"id": "id_department"},
        {"id": "id_x", "aria-invalid": "true", "required": True, "disabled": False},
        {"aria-describedby": 'id_x_error "q"'},
    ],
)
def test_same_html_as_django(value, attrs):
    expected = forms.Select(choices=CHOICES).render("department", value, dict(attrs))
    assert QuickSelect(choices=CHOICES).render("department", value, dict(attrs)) == (
        expected
    )


@settings(deadline=None)  # a busy CI machine is no reason to fail
@given(
    st.lists(st.tuples(st.text(max_size=5), st.text(max_size=8)), max_size=6),
    st.text(max_size=5),
)
def test_same_html_for_any_choices(choices, value):
    expected = forms.Select(choices=choices).render("q", value, {"id": "id_q"})
    assert QuickSelect(choices=choices).render("q", value, {"id": "id_q"}) == expected
