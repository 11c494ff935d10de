"""The report outline's pages: the organiser and the Chair change it, others are refused,
bad input is a message beside its field and nothing is saved."""

from app.extensions import db
from app.outputs import outline
from app.outputs.models import PartKind
from tests.outputs.conftest import approve


def _base(scene):
    return f"/meetings/{scene.meeting.slug}/manage/report/outline"


def test_organiser_starts_adds_moves_and_edits(scene, sign_in, client, post_form):
    approve(
        scene.cluster_output,
        scene.rapporteur,
        scene.chair,
        summary=["Deliberated."],
        recommendations=["Act"],
    )
    db.session.commit()
    sign_in(scene.organiser)
    page = client.get(_base(scene)).get_data(as_text=True)
    assert "Change this outline" in page and "Conclusions and recommendations" in page
    post_form(f"{_base(scene)}/start", follow_redirects=True)
    parts = outline.start_outline(scene.meeting)
    conclusions = next(p for p in parts if p.kind == PartKind.CONCLUSIONS)
    block = next(p for p in parts if p.kind == PartKind.OUTPUT)
    response = post_form(
        f"{_base(scene)}/parts",
        {
            "kind": "heading",
            "after_id": str(conclusions.id),
            "level": "2",
            "numbered": "y",
            "heading": "Substantive items and workshops",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200 and "The part was added." in response.get_data(as_text=True)
    group = next(
        p
        for p in outline.start_outline(scene.meeting)
        if p.heading == "Substantive items and workshops"
    )
    post_form(f"{_base(scene)}/parts/{block.id}/move", {"after_id": str(group.id)})
    response = post_form(
        f"{_base(scene)}/parts",
        {"kind": "text", "after_id": str(block.id), "body": "Member States were encouraged."},
        follow_redirects=True,
    )
    assert response.status_code == 200
    kinds = [(p.kind, p.heading) for p in outline.start_outline(scene.meeting)]
    at = kinds.index((PartKind.HEADING, "Substantive items and workshops"))
    assert kinds[at + 1][0] == PartKind.OUTPUT and kinds[at + 2][0] == PartKind.TEXT
    officers_part = next(
        p for p in outline.start_outline(scene.meeting) if p.kind == PartKind.OFFICERS
    )
    page = client.get(f"{_base(scene)}/parts/{officers_part.id}").get_data(as_text=True)
    assert "by acclamation" in page
    response = post_form(
        f"{_base(scene)}/parts/{officers_part.id}",
        {"lead": "At its 1st meeting, the Meeting elected:", "by_acclamation": ""},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (
        outline.lead_of(scene.meeting, officers_part) == "At its 1st meeting, the Meeting elected:"
    )


def test_bad_input_is_a_message_and_nothing_is_saved(scene, sign_in, client, post_form):
    outline.start_outline(scene.meeting)
    db.session.commit()
    before = outline.count_parts(scene.meeting)
    sign_in(scene.chair)
    for data, message in [
        ({"kind": "text", "body": "<b>bold</b>"}, "no HTML"),
        ({"kind": "text", "body": "[x](ftp://example.org)"}, "https://"),
        ({"kind": "attendance"}, "already"),
        ({"kind": "output", "output_id": "999999"}, "Choose an output of this meeting"),
        ({"kind": "heading", "level": "9", "heading": "X"}, "chapter"),
        ({"kind": "nonsense"}, "Not a valid choice"),
    ]:
        response = post_form(f"{_base(scene)}/parts", {"after_id": "0", **data})
        assert response.status_code == 200, data
        assert message in response.get_data(as_text=True), data
    db.session.expire_all()
    assert outline.count_parts(scene.meeting) == before
    agenda = next(p for p in outline.start_outline(scene.meeting) if p.kind == PartKind.AGENDA)
    response = post_form(f"{_base(scene)}/parts/{agenda.id}", {"symbol": "not a symbol"})
    assert response.status_code == 200 and "symbol" in response.get_data(as_text=True)


def test_participants_and_rapporteurs_may_not_change_it(scene, sign_in, client, post_form):
    db.session.commit()
    sign_in(scene.rapporteur)
    assert client.get(_base(scene)).status_code == 403
    assert post_form(f"{_base(scene)}/start").status_code == 403


def test_the_rapporteur_issues_a_draft_part_from_the_page(scene, sign_in, client, post_form):
    approve(scene.cluster_output, scene.rapporteur, scene.chair, summary=["Deliberated."])
    parts = outline.start_outline(scene.meeting)
    chapter = next(p for p in parts if p.heading == "Conclusions and recommendations")
    db.session.commit()
    sign_in(scene.rapporteur)
    url = f"/meetings/{scene.meeting.slug}/manage/report/draft-parts"
    page = client.get(url).get_data(as_text=True)
    assert "Conclusions and recommendations" in page
    bad = post_form(
        url,
        {
            "symbol": "A/CONF.234/RPM.1/INF/2",
            "heading_ids": str(chapter.id),
            "issued_on": "2020-02-27",
            "original_language": "en",
            "languages": "en",
        },
    )
    assert bad.status_code == 200 and "L document" in bad.get_data(as_text=True)
    response = post_form(
        url,
        {
            "symbol": "A/CONF.234/RPM.1/L.2",
            "heading_ids": str(chapter.id),
            "issued_on": "2020-02-27",
            "original_language": "en",
            "languages": ["en", "fr"],
        },
        follow_redirects=True,
    )
    assert "Issued as A/CONF.234/RPM.1/L.2" in response.get_data(as_text=True)
    pdf = client.get(f"/meetings/{scene.meeting.slug}/draft-report/1.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "A_CONF.234_RPM.1_L.2.pdf" in pdf.headers["Content-Disposition"]
    # Entered among the meeting's documents, its PDF the English file the public page lists.
    public = client.application.test_client().get(f"/meetings/{scene.meeting.slug}/")
    html = public.get_data(as_text=True)
    assert "A/CONF.234/RPM.1/L.2" in html and '/en"' in html


def test_attendance_sentences_and_qualifiers_from_the_page(scene, sign_in, client, post_form):
    from app.registration.models import AttendanceCategory
    from tests.factories import make_registration

    make_registration(
        scene.meeting, delegation="Thailand", category=AttendanceCategory.MEMBER_STATE
    )
    block = next(p for p in outline.start_outline(scene.meeting) if p.kind == PartKind.ATTENDANCE)
    db.session.commit()
    sign_in(scene.organiser)
    url = f"{_base(scene)}/parts/{block.id}"
    response = post_form(
        url,
        {
            "qualifier_member_state": "members of the Commission",
            "sentence_ngo": "The following NGO was represented: Bar Association.",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert block.options["qualifiers"] == {"member_state": "members of the Commission"}
    assert block.options["texts"] == {"ngo": "The following NGO was represented: Bar Association."}
    bad = post_form(url, {"sentence_ngo": "<img src=x onerror=alert(1)>"})
    assert bad.status_code == 200 and "no HTML" in bad.get_data(as_text=True)


def test_the_annex_order_and_omissions_from_the_page(scene, sign_in, client, post_form):
    from app.meetings import documents

    for symbol in ("A/CONF.234/PM.1", "A/CONF.234/RPM.1/L.2", "A/CONF.234/RPM.1/L.2/Add.1"):
        documents.create_document(
            scene.meeting, symbol=symbol, title="X", agenda_item_id=None, issued_on=None, url=""
        )
    block = next(p for p in outline.start_outline(scene.meeting) if p.kind == PartKind.DOCUMENTS)
    db.session.commit()
    sign_in(scene.organiser)
    url = f"{_base(scene)}/parts/{block.id}"
    response = post_form(
        url,
        {
            "document_order": "A/CONF.234/RPM.1/L.2\nA/CONF.234/PM.1",
            "document_omit": "A/CONF.234/RPM.1/L.2/Add.1",
        },
    )
    assert response.status_code == 302
    from app.outputs import report as report_rules

    rows = next(
        i for i in report_rules.report_content(scene.meeting)["items"] if i["type"] == "documents"
    )["rows"]
    assert [r["symbol"] for r in rows] == ["A/CONF.234/RPM.1/L.2", "A/CONF.234/PM.1"]
    page = client.get(url).get_data(as_text=True)
    assert "A/CONF.234/RPM.1/L.2/Add.1</textarea>" in page
    bad = post_form(url, {"document_order": "A/NOT/LISTED.1", "document_omit": ""})
    assert bad.status_code == 200 and "documents of this meeting" in bad.get_data(as_text=True)


def test_two_editors_of_one_part_the_second_gets_the_conflict_page_with_its_text(
    scene, sign_in, client, post_form
):
    """The organiser and the Chair open the same paragraph; the Chair saves first. The
    organiser's save is refused with a 409 that shows the Chair's version in the form and the
    organiser's own text beside it; nothing of the organiser's is saved. A move of another part
    in between is not a conflict."""
    sign_in(scene.organiser)
    post_form(f"{_base(scene)}/start")
    parts = outline.start_outline(scene.meeting)
    text = outline.add_part(scene.meeting, kind=PartKind.TEXT, after_id=parts[0].id,
                            body="The Meeting opened.")  # fmt: skip
    db.session.commit()
    url = f"{_base(scene)}/parts/{text.id}"
    page = client.get(url).get_data(as_text=True)
    opened = page.split('name="edits" type="hidden" value="')[1].split('"')[0]
    # The Chair saves first (same count of saves); someone moves another part meanwhile.
    outline.update_part(scene.meeting, text, body="The Chair's version.", edits=int(opened))
    outline.step_part(scene.meeting, parts[-1].id, -1)
    db.session.commit()
    response = post_form(url, {"body": "The organiser's version.", "edits": opened})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "The organiser&#39;s version." in page and "The Chair&#39;s version." in page
    db.session.expire_all()
    assert db.session.get(type(text), text.id).body == "The Chair's version."
    # From the conflict page's form (the new count) the save goes through.
    again = page.split('name="edits" type="hidden" value="')[1].split('"')[0]
    response = post_form(url, {"body": "Both versions, merged.", "edits": again})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(text), text.id).body == "Both versions, merged."
