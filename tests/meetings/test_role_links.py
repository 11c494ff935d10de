"""Each role finds its own pages from the meeting page, and no menu link answers 403."""

from app.extensions import db
from app.meetings.models import RoleName
from tests import factories


def test_chair_and_rapporteur_find_their_pages_and_only_those(client, make_user, sign_in):
    meeting = factories.make_meeting()
    chair, rapporteur = make_user(), make_user()
    factories.grant_role(meeting, chair, RoleName.CHAIR)
    factories.grant_role(meeting, rapporteur, RoleName.RAPPORTEUR)
    db.session.commit()

    sign_in(rapporteur)
    page = client.get(f"/meetings/{meeting.slug}/").get_data(as_text=True)
    assert f"/meetings/{meeting.slug}/outputs/mine" in page
    assert "/manage/chairs-summary" not in page

    sign_in(chair)
    page = client.get(f"/meetings/{meeting.slug}/").get_data(as_text=True)
    assert f"/meetings/{meeting.slug}/manage/chairs-summary" in page
    review = client.get(f"/meetings/{meeting.slug}/manage/chairs-summary")
    assert review.status_code == 200
    menu = review.get_data(as_text=True).split('class="manage-nav"')[1].split("</nav>")[0]
    assert "/manage/outputs/" in menu
    assert "/manage/sessions" not in menu  # an organiser's page would answer 403 to the Chair
