"""Which language a page is in: the picker, the account, the browser, the meeting, English."""

import pytest

from app.extensions import db
from app.i18n import known
from tests import factories


@pytest.mark.parametrize(
    ("code", "expected"),
    [("fr", "fr"), ("fr-CA", "fr"), ("zh_Hans", "zh"), ("AR", "ar"), ("vi", None), ("", None),
     ("x" * 100, None), ("../../etc", None), (None, None)],
)  # fmt: skip
def test_known_languages(code, expected):
    language = known(code)
    assert (language.code if language else None) == expected


def _html_tag(response) -> str:
    page = response.get_data(as_text=True)
    return page[page.index("<html") : page.index(">", page.index("<html")) + 1]


def test_the_browser_language_is_used_and_arabic_reads_right_to_left(client):
    tag = _html_tag(client.get("/", headers={"Accept-Language": "ar,en;q=0.5"}))
    assert tag == '<html lang="ar" dir="rtl">'
    tag = _html_tag(client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}))
    assert tag == '<html lang="zh" dir="ltr">'


def test_an_unknown_browser_language_falls_back_to_the_meeting_s(client):
    meeting = factories.make_meeting(language="fr")
    db.session.commit()
    response = client.get(
        f"/meetings/{meeting.slug}/programme", headers={"Accept-Language": "vi, xx-YY"}
    )
    assert _html_tag(response) == '<html lang="fr" dir="ltr">'
    assert _html_tag(client.get("/", headers={"Accept-Language": "vi"})).startswith(
        '<html lang="en-GB"'
    )


def test_the_picker_keeps_the_choice_and_the_address(client, post_form):
    response = post_form("/account/language", {"language": "ru", "next": "/meetings/x/agenda"})
    assert response.status_code == 302 and response.headers["Location"] == "/meetings/x/agenda"
    assert _html_tag(client.get("/", headers={"Accept-Language": "ar"})).startswith(
        '<html lang="ru"'
    )
    # A code it does not know changes nothing; a foreign `next` is not followed.
    response = post_form("/account/language", {"language": "xx", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"
    assert _html_tag(client.get("/")).startswith('<html lang="ru"')


def test_every_page_offers_the_picker_in_each_language_s_own_name(client):
    page = client.get("/").get_data(as_text=True)
    for name in ("English", "Français", "Español", "Русский", "中文", "العربية", "ไทย"):
        assert f">{name}</option>" in page
