"""A document's files, one per UN language: type read from the content, size bounded, stored
under the configured folder, served under a proper name, listed on the public page."""

import io
import zipfile

import pytest

from app.errors import MeetingError
from app.extensions import db
from app.meetings import document_files, documents
from app.meetings.models import DocumentFile, Meeting
from tests.factories import make_user

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def document(make_meeting):
    meeting = make_meeting(organiser=make_user())
    return documents.create_document(
        meeting,
        symbol="A/CONF.234/RPM.1/L.1",
        title="Annotated provisional agenda",
        agenda_item_id=None,
        issued_on=None,
        url="",
    )


def test_a_file_per_language_replaces_the_old_one(document, tmp_path):
    first = document_files.store_file(
        document, language="en", filename="agenda.pdf", data=PDF, folder=tmp_path
    )
    document_files.store_file(
        document, language="fr", filename="ordre.docx", data=_docx(), folder=tmp_path
    )
    again = document_files.store_file(
        document, language="en", filename="agenda-v2.pdf", data=PDF + b"%", folder=tmp_path
    )
    assert sorted(f.language for f in document.files) == ["en", "fr"]
    assert again.stored_name != first.stored_name
    assert document_files.path_of(again, tmp_path).read_bytes() == PDF + b"%"
    assert document_files.download_name(document, again) == "A_CONF.234_RPM.1_L.1-EN.pdf"
    assert "agenda" not in again.stored_name  # a user's file name never becomes a path


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("agenda.pdf", b"<html><script>alert(1)</script></html>", "not a PDF"),
        ("agenda.docx", PDF, "not a Word document"),
        ("agenda.docx", b"PK\x03\x04broken", "not a Word document"),
        ("agenda.exe", PDF, "Upload a PDF"),
        ("agenda.pdf", b"", "empty"),
        ("agenda.pdf", PDF + b"x" * document_files.MAX_DOCUMENT_BYTES, "at most 20 MB"),
    ],
)
def test_a_file_not_of_its_declared_type_or_too_large_is_refused(
    document, tmp_path, filename, data, message
):
    with pytest.raises(MeetingError, match=message):
        document_files.store_file(
            document, language="en", filename=filename, data=data, folder=tmp_path
        )
    assert db.session.query(DocumentFile).count() == 0
    assert list(tmp_path.iterdir()) == []


def test_a_language_outside_the_six_is_refused(document, tmp_path):
    with pytest.raises(MeetingError) as error:
        document_files.store_file(
            document, language="th", filename="a.pdf", data=PDF, folder=tmp_path
        )
    assert error.value.field == "language"


def test_organiser_uploads_and_the_public_page_lists_languages(
    app, document, client, sign_in, post_form, tmp_path
):
    app.config["PLENARY_DOCUMENTS_DIR"] = str(tmp_path)
    meeting = db.session.get(Meeting, document.meeting_id)
    organiser = meeting_organiser(meeting)
    db.session.commit()
    sign_in(organiser)
    url = f"/meetings/{meeting.slug}/manage/documents/{document.id}/files"
    bad = post_form(
        url,
        {"language": "en", "file": (io.BytesIO(b"MZ\x90\x00"), "agenda.pdf")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 200 and "not a PDF" in bad.get_data(as_text=True)
    done = post_form(
        url,
        {"language": "zh", "file": (io.BytesIO(PDF), "议程.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "The Chinese file of A/CONF.234/RPM.1/L.1 was uploaded." in done.get_data(as_text=True)
    page = client.application.test_client().get(f"/meetings/{meeting.slug}/")
    html = page.get_data(as_text=True)
    assert f"/meetings/{meeting.slug}/documents/{document.id}/zh" in html
    response = client.application.test_client().get(
        f"/meetings/{meeting.slug}/documents/{document.id}/zh"
    )
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert (
        response.headers["Content-Disposition"]
        == "attachment; filename=A_CONF.234_RPM.1_L.1-ZH.pdf"
    )
    missing = client.application.test_client().get(
        f"/meetings/{meeting.slug}/documents/{document.id}/fr"
    )
    assert missing.status_code == 404


def meeting_organiser(meeting):
    from sqlalchemy import select

    from app.auth.models import User
    from app.meetings.models import MeetingRole, RoleName

    return db.session.scalar(
        select(User)
        .join(MeetingRole, MeetingRole.user_id == User.id)
        .where(MeetingRole.meeting_id == meeting.id, MeetingRole.role == RoleName.ORGANISER)
    )


def test_a_document_carries_its_masthead(document):
    documents.update_document(
        document.meeting
        if hasattr(document, "meeting")
        else db.session.get(Meeting, document.meeting_id),
        document,
        symbol=document.symbol,
        title=document.title,
        agenda_item_id=None,
        issued_on=None,
        url="",
        distribution="",
        original_language="en",
        languages=["ru", "en", "zh", "fr"],
    )
    assert documents.distribution_of(document) == "limited"  # an L document
    assert document.languages == "zh en fr ru" and document.original_language == "en"
    meeting = db.session.get(Meeting, document.meeting_id)
    for field, value in (("distribution", "secret"), ("original_language", "th")):
        with pytest.raises(MeetingError) as error:
            documents.update_document(
                meeting,
                document,
                symbol=document.symbol,
                title=document.title,
                agenda_item_id=None,
                issued_on=None,
                url="",
                **{field: value},
            )
        assert error.value.field == field


def test_the_document_form_saves_the_masthead(app, document, client, sign_in, post_form):
    meeting = db.session.get(Meeting, document.meeting_id)
    organiser = meeting_organiser(meeting)
    db.session.commit()
    sign_in(organiser)
    url = f"/meetings/{meeting.slug}/manage/documents/{document.id}/edit"
    assert "Original language" in client.get(url).get_data(as_text=True)
    response = post_form(
        url,
        {
            "symbol": document.symbol,
            "title": document.title,
            "agenda_item_id": "",
            "distribution": "general",
            "original_language": "fr",
            "languages": ["fr", "en"],
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (document.distribution, document.original_language, document.languages) == (
        "general",
        "fr",
        "en fr",
    )
