"""Journey: a member of the public opens the service, switches to English and back."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_public_home_in_chinese_then_english(page, shot):
    page.goto("/")
    assert "工作居住证" in page.title()
    shot(page, "home-zh")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "home-en")
    page.get_by_role("button", name="中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
