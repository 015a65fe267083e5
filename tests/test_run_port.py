"""`make run PORT=…` (issue 15): the server, the demo's sign-in message and
the links in e-mails all use the address it serves."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from disclosure import notifications

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_passes_the_port_to_the_server_and_the_address_to_the_portal():
    env = {k: v for k, v in os.environ.items() if k != "PORTAL_BASE_URL"}
    commands = subprocess.run(  # noqa: S603 - make, dry run, our Makefile
        [shutil.which("make"), "-n", "run", "PORT=8123"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "runserver 127.0.0.1:8123" in commands
    assert "PORTAL_BASE_URL=http://127.0.0.1:8123 " in commands
    assert "seed_demo" in commands
    for line in commands.splitlines():
        if "seed_demo" in line or "runserver" in line:
            assert "PORTAL_BASE_URL=http://127.0.0.1:8123" in line


def test_the_address_is_read_from_the_environment():
    code = (
        "import django; django.setup(); "
        "from disclosure.site_address import base_url; print(base_url())"
    )
    env = {
        **os.environ,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_BASE_URL": "http://127.0.0.1:8123/",
    }
    out = subprocess.run(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == "http://127.0.0.1:8123", out.stderr


def test_the_readme_mentions_port():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run PORT=8001" in readme


def test_the_demo_sign_in_message_uses_the_address(settings):
    from disclosure.management.commands.seed_demo import sign_in_message

    settings.PORTAL_BASE_URL = "http://127.0.0.1:8123"
    assert sign_in_message() == (
        "Demo accounts (sign in at http://127.0.0.1:8123/accounts/login/):"
    )


@pytest.mark.django_db
def test_e_mail_links_use_the_address(settings):
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8123"
    assert notifications._site_url("/workspace/") == "http://127.0.0.1:8123/workspace/"
    settings.PORTAL_BASE_URL = ""
    assert notifications._site_url("/workspace/").endswith("/workspace/")
    assert not mail.outbox
