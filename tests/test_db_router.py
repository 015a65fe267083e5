"""Read replicas (portal/db_router.py), with two real databases: the test
database as the primary and a second one as ``replica_0``, created here and
*not* mirrored (a mirror would hide which one a read went to). Nothing
replicates between them in a test: a row written to only one of them shows
where a read went."""

import copy
import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone

from catalog.models import Department, TopicCategory
from disclosure.models import Item, PublicRecord
from portal import db_router

REPLICA = "replica_0"
BOTH = ["default", REPLICA]


@pytest.fixture(scope="module")
def replica_database(django_db_setup, django_db_blocker):
    """A second test database as ``replica_0``, migrated like the primary."""
    primary = connections["default"].settings_dict
    config = copy.deepcopy(primary)
    if primary["ENGINE"].endswith("sqlite3"):
        config["TEST"]["NAME"] = None  # an in-memory database of its own
    else:
        config["NAME"] = config["TEST"]["NAME"] = f"{primary['NAME']}_replica"
    config["TEST"]["MIRROR"] = None
    settings.DATABASES[REPLICA] = config  # the same dict as connections.settings
    with django_db_blocker.unblock():
        old_name = connections[REPLICA].creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
    yield REPLICA
    with django_db_blocker.unblock():
        connections[REPLICA].creation.destroy_test_db(old_name, verbosity=0)
    connections[REPLICA].close()
    del connections[REPLICA]
    del settings.DATABASES[REPLICA]


@pytest.fixture
def routed(replica_database):
    """The router and middleware on, as settings.py sets them when
    DATABASE_REPLICA_URLS is set."""
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "portal.db_router.ReplicaMiddleware",
    )
    with override_settings(
        DATABASE_ROUTERS=["portal.db_router.ReplicaRouter"], MIDDLEWARE=middleware
    ):
        yield


def make_record(using: str, pk: int, title: str) -> PublicRecord:
    """A published record with id ``pk`` in one database only."""
    department, _ = Department.objects.using(using).get_or_create(
        code="czj", defaults={"name": "区财政局", "publisher_code": "000014349"}
    )
    user, _ = get_user_model().objects.using(using).get_or_create(username="clerk")
    topic = TopicCategory.objects.using(using).order_by("pk").first()
    if topic is None:
        topic = TopicCategory.objects.using(using).create(code="02", name="综合政务")
    now = timezone.now() - datetime.timedelta(hours=1)
    content = {
        "department": department,
        "topic": topic,
        "title": title,
        "body": f"<p>{title}</p>",
        "formed_on": now.date(),
    }
    Item.objects.using(using).create(
        pk=pk,
        state=Item.State.PUBLISHED,
        index_number=f"000014349/2026-{pk:05d}",
        created_by=user,
        updated_by=user,
        **content,
    )
    record = PublicRecord(
        item_id=pk,
        index_number=f"000014349/2026-{pk:05d}",
        published_at=now,
        updated_at=now,
        **content,
    )
    record.save(using=using)
    return record


def staff_user():
    return get_user_model().objects.create_user(
        username="reviewer", password="correct-horse-battery", is_staff=True
    )


# --- through the whole stack -------------------------------------------------------


@pytest.mark.django_db(databases=BOTH)
def test_anonymous_page_is_read_from_the_replica(routed, client):
    make_record(REPLICA, 9001, "只在副本中的信息")

    response = client.get("/items/9001/")

    assert response.status_code == 200
    assert "只在副本中的信息" in response.content.decode()
    assert not PublicRecord.objects.using("default").filter(pk=9001).exists()


@pytest.mark.django_db(databases=BOTH)
def test_the_catalog_snapshot_is_read_from_the_primary(routed, client):
    """A replica that lags a department's renaming must not freeze the old
    name into disclosure.reference's snapshot for a whole generation."""
    make_record(REPLICA, 9010, "副本中的信息")
    stale = Department.objects.using(REPLICA).get(code="czj")
    Department.objects.using(REPLICA).filter(pk=stale.pk).update(name="副本中的旧名称")
    Department.objects.using("default").create(
        pk=stale.pk, code="czj", name="主库中的新名称", publisher_code="000014349"
    )

    page = client.get("/items/9010/").content.decode()

    assert "副本中的信息" in page  # the record itself from the replica
    assert "主库中的新名称" in page
    assert "副本中的旧名称" not in page


@pytest.mark.django_db(databases=BOTH)
def test_signed_in_staff_read_the_primary(routed, client):
    make_record("default", 9002, "主库中的新版本")
    make_record(REPLICA, 9002, "副本中的旧版本")
    # django-axes logs a sign-in with the client's IP, which force_login's
    # bare request lacks (PostgreSQL refuses "unknown"); not under test here.
    with override_settings(AXES_ENABLED=False):
        client.force_login(staff_user())

    response = client.get("/items/9002/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "主库中的新版本" in page
    assert "副本中的旧版本" not in page


@pytest.mark.django_db(databases=BOTH)
def test_a_session_cookie_alone_keeps_a_visitor_on_the_primary(routed, client):
    make_record(REPLICA, 9003, "只在副本中的信息")
    client.cookies[settings.SESSION_COOKIE_NAME] = "signed-out-earlier"

    assert client.get("/items/9003/").status_code == 404


@pytest.mark.django_db(databases=BOTH)
def test_post_requests_read_the_primary(routed):
    make_record(REPLICA, 9004, "只在副本中的信息")
    seen = []

    def view(request):
        seen.append(PublicRecord.objects.filter(pk=9004).exists())
        return HttpResponse()

    middleware = db_router.ReplicaMiddleware(view)
    middleware(RequestFactory().post("/items/"))
    middleware(RequestFactory().get("/items/"))

    assert seen == [False, True]


# --- writes and read-your-writes -----------------------------------------------------


@pytest.mark.django_db(databases=BOTH)
def test_writes_go_to_the_primary_and_pin_the_rest_of_the_request(routed):
    make_record(REPLICA, 9005, "只在副本中的信息")
    seen = {}

    def view(request):
        seen["before"] = PublicRecord.objects.filter(pk=9005).exists()
        Department.objects.create(code="tmp", name="临时机构")
        seen["after"] = PublicRecord.objects.filter(pk=9005).exists()
        return HttpResponse()

    response = db_router.ReplicaMiddleware(view)(RequestFactory().get("/"))

    assert seen == {"before": True, "after": False}
    assert Department.objects.using("default").filter(code="tmp").exists()
    assert not Department.objects.using(REPLICA).filter(code="tmp").exists()
    pinned = response.cookies[db_router.PIN_COOKIE]
    assert pinned["max-age"] == db_router.pin_seconds()


@pytest.mark.django_db(databases=BOTH)
def test_after_a_write_the_browser_reads_the_primary_for_a_while(
    routed, client, settings
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # every request reads the database
    make_record(REPLICA, 9006, "只在副本中的信息")
    assert client.get("/items/9006/").status_code == 200

    client.cookies[db_router.PIN_COOKIE] = str(int(timezone.now().timestamp()) + 5)
    assert client.get("/items/9006/").status_code == 404

    client.cookies[db_router.PIN_COOKIE] = str(int(timezone.now().timestamp()) - 1)
    assert client.get("/items/9006/").status_code == 200


@pytest.mark.django_db(databases=BOTH)
def test_transactions_and_sessions_stay_on_the_primary(routed):
    make_record(REPLICA, 9007, "只在副本中的信息")
    router = db_router.ReplicaRouter()
    with db_router.replica_reads(REPLICA):
        assert router.db_for_read(PublicRecord) == REPLICA
        assert PublicRecord.objects.filter(pk=9007).exists()
        with transaction.atomic():
            assert router.db_for_read(PublicRecord) == "default"
            assert not PublicRecord.objects.filter(pk=9007).exists()
        session_model = pytest.importorskip("django.contrib.sessions.models").Session
        assert router.db_for_read(session_model) == "default"
        assert router.db_for_read(get_user_model()) == "default"


@pytest.mark.django_db(databases=BOTH)
def test_outside_a_public_request_everything_uses_the_primary(routed):
    make_record(REPLICA, 9008, "只在副本中的信息")
    router = db_router.ReplicaRouter()

    assert router.db_for_read(PublicRecord) == "default"
    assert not PublicRecord.objects.filter(pk=9008).exists()
    assert router.db_for_write(PublicRecord) == "default"


@pytest.mark.postgres
@pytest.mark.django_db(databases=BOTH)
def test_postgres_the_replica_is_another_database(routed):
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT current_database()")
        primary = cursor.fetchone()[0]
    with db_router.replica_reads(REPLICA), connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT current_database()")
        replica = cursor.fetchone()[0]
    assert primary != replica
    assert replica.endswith("_replica")
