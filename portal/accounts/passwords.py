"""The password rule: at least ten characters of three classes, with the
messages in Chinese."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its message in Chinese: Django 5.2 changed the message
    and its Chinese catalogue has no translation of the new one yet."""

    def get_error_message(self):
        return _("密码太短：至少需要 %(min_length)d 个字符。") % {
            "min_length": self.min_length
        }


class CharacterClassValidator:
    """At least ``min_classes`` of: upper-case letters, lower-case letters,
    digits, symbols (any other visible character that is not a letter, such as
    ``!``, ``#`` or ``，``)."""

    CLASSES = (
        (gettext_lazy("大写字母"), str.isupper),
        (gettext_lazy("小写字母"), str.islower),
        (gettext_lazy("数字"), str.isdigit),
        (gettext_lazy("符号"), lambda char: not char.isalnum() and char.isprintable()),
    )

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def classes_in(self, password: str) -> int:
        return sum(
            any(test(char) for char in password) for _label, test in self.CLASSES
        )

    def validate(self, password, user=None):
        if self.classes_in(password) < self.min_classes:
            raise ValidationError(
                self.get_help_text(), code="password_too_few_character_classes"
            )

    def get_help_text(self):
        return _(
            "密码须包含大写字母、小写字母、数字、符号四类字符中的至少 %(count)d 类。"
        ) % {"count": self.min_classes}
