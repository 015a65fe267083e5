import pytest

from catalog import demo


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/catalog/", "/guide/", "/tools/deadline/"])
def test_public_pages_answer_in_chinese(client, url):
    demo.seed_catalog()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert "政府信息公开" in response.content.decode()
