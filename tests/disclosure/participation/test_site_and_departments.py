"""The site's identity (header, footer, login page), set by the office in the
admin, with the page cache invalidated when it changes; the emblem checked by
content; and each department's own column."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog.models import Department
from catalog.selectors import work_calendar
from disclosure import workflow
from disclosure.models import SiteSettings
from disclosure.oversight import periods, timeliness
from disclosure.participation.demo import emblem_png
from tests import factories
from tests.disclosure.public_fixtures import bulk_records, publish
from tests.english_scan import without_tags

pytestmark = pytest.mark.django_db


@pytest.fixture
def system_admin(db):
    user = factories.UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="system_admin"))
    return user


def admin_form(**overrides):
    data = {
        "government_name": "示例区人民政府",
        "site_name": "示例区人民政府信息公开专栏",
        "sponsor": "示例区人民政府办公室",
        "organiser": "",
        "contact_phone": "0571-88880000",
        "contact_email": "gkb@example.gov.cn",
        "contact_address": "示例市示例区人民大道1号",
        "website_code": "3399000001",
        "icp_number": "浙ICP备12345678号-1",
        "public_security_number": "浙公网安备 33010602000001号",
    }
    data.update(overrides)
    return data


def change_url():
    return f"/admin/disclosure/sitesettings/{SiteSettings.load().pk}/change/"


def test_the_office_sets_the_identity_and_every_page_shows_it_at_once(
    client, world, system_admin
):
    publish(world, title="一条通知")
    anonymous = client.__class__()
    before = anonymous.get("/").content.decode()  # cached from now on
    assert "浙ICP备12345678号-1" not in before
    client.force_login(system_admin)
    response = client.post(change_url(), admin_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    page = anonymous.get("/").content.decode()  # the cached copy is stale
    assert '<span class="government-name" lang="zh-Hans">示例区人民政府</span>' in page
    assert "示例区人民政府信息公开专栏" in page
    assert "主办单位：示例区人民政府办公室" in without_tags(page)
    assert "网站标识码：3399000001" in page
    assert (
        '<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">浙ICP备12345678号-1</a>'
        in page
    )
    assert (
        'href="https://beian.mps.gov.cn/#/query/webSearch?code=33010602000001"' in page
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("website_code", "12345", "10位"),
        ("icp_number", "ICP12345", "浙ICP备12345678号-1"),
        ("public_security_number", "浙公网安备 123号", "33010602000001"),
    ],
)
def test_malformed_numbers_are_refused(client, system_admin, field, value, message):
    client.force_login(system_admin)
    response = client.post(change_url(), admin_form(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert getattr(SiteSettings.load(), field) == ""


def test_the_emblem_is_checked_by_its_content(client, system_admin):
    client.force_login(system_admin)
    fake = SimpleUploadedFile("emblem.png", b"<svg onload='alert(1)'></svg>")
    response = client.post(change_url(), {**admin_form(), "emblem_upload": fake})
    assert response.status_code == 200
    assert "PNG 或 JPG" in response.content.decode()
    assert not SiteSettings.load().emblem
    png = SimpleUploadedFile("国徽.png", emblem_png(), content_type="image/png")
    response = client.post(change_url(), {**admin_form(), "emblem_upload": png})
    assert response.status_code == 302
    row = SiteSettings.load()
    assert row.emblem_extension == "png"
    client.logout()
    page = client.get("/").content.decode()
    url = f"/site/emblem-{row.emblem_sha256[:16]}.png"
    assert f'src="{url}"' in page
    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in served["Cache-Control"]
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    assert client.get("/site/emblem-0000000000000000.png").status_code == 404


def test_only_the_system_administrators_change_it(client, world):
    client.force_login(world.clerk)
    assert client.get(change_url()).status_code == 302  # not admin staff at all
    plain_staff = factories.UserFactory(is_staff=True)
    client.force_login(plain_staff)
    assert client.get(change_url()).status_code == 403


def test_the_login_page_shows_the_sites_name_never_the_servers_address(
    client, settings
):
    settings.ALLOWED_HOSTS = ["gk.internal.example"]
    row = SiteSettings.load()
    row.government_name = "示例区人民政府"
    row.site_name = "示例区人民政府信息公开专栏"
    row.save()
    response = client.get("/accounts/login/", HTTP_HOST="gk.internal.example:8443")
    text = response.content.decode()
    assert response.status_code == 200
    assert "示例区人民政府 · 示例区人民政府信息公开专栏" in without_tags(text)
    assert "<title>工作人员登录 - 示例区人民政府信息公开专栏</title>" in text
    assert "gk.internal.example" not in text and "8443" not in text


# --- a department's column --------------------------------------------------------------


def test_the_department_column(client, world, django_assert_max_num_queries):
    publish(world, title="本局的通知")
    publish(world, title="科室的通知", department=world.office)
    publish(world, title="别的局的通知", department=world.other_department)
    withdrawn = publish(world, title="撤销的通知")
    workflow.withdraw(item=withdrawn.item, by=world.admin, reason="撤销。")
    bulk_records(world, 30)
    world.department.phone = "0571-88881234"
    world.department.save()
    with django_assert_max_num_queries(12):
        response = client.get("/departments/nyj/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "区农业农村局政府信息公开" in without_tags(text)
    assert "0571-88881234" in text  # the guide card
    assert "科室的通知" in text  # its offices' items are its own
    assert "别的局的通知" not in text and "撤销的通知" not in text
    assert world.entry.level1 in text  # its catalog entries
    assert 'href="/feeds/department/nyj.atom"' in text
    assert 'href="/subscriptions/?department=nyj"' in text
    assert 'href="/reports/annual/"' in text


def test_the_columns_figures_are_the_oversights(client, world, clock):
    late_entry = world.entry
    publish(world, title="按时的通知", catalog_entry=late_entry)
    late = publish(
        world,
        title="逾期的通知",
        catalog_entry=late_entry,
        formed_on=timezone.localdate() - datetime.timedelta(days=60),
    )
    assert late.item.late_working_days > 0
    response = client.get("/departments/nyj/")
    context = response.context
    today = timezone.localdate()
    report = timeliness.timeliness(
        periods.year_period(today.year),
        today=today,
        now=timezone.now(),
        calendar=work_calendar(),
    )
    (row,) = [f for f in report.departments if f.department.pk == world.department.pk]
    assert context["figures"]["published"] == len(row.published)
    assert context["figures"]["on_time"] == len(row.on_time)
    assert context["on_time_rate"] == row.on_time_rate


def test_unknown_or_inactive_departments_are_404(client, world):
    assert client.get("/departments/nothing/").status_code == 404
    Department.objects.filter(code="czj").update(is_active=False)
    assert client.get("/departments/czj/").status_code == 404
