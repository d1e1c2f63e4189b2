"""Confirmation slip (BIZ-CONFIRMATION, 四（八）, 六) and the public verification page."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from materials.services import store_upload
from permits import slip
from permits.models import PermitStatus
from permits.tests.factories import make_applicant, make_permit

pytestmark = pytest.mark.django_db


def _today() -> date:
    return timezone.localdate()


@pytest.fixture
def permit():
    holder = make_applicant(name="张三丰")
    return make_permit(
        holder, issued_on=_today() - timedelta(days=30), expires_on=_today() + timedelta(days=1000)
    )


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (260, 360), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def _pdf_text(content: bytes, tmp_path=None) -> str:
    """The text of every page, extracted with pypdfium2 (no external program)."""
    document = pdfium.PdfDocument(content)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def _qr_texts(content: bytes) -> list[str]:
    document = pdfium.PdfDocument(content)
    image = document[0].render(scale=3).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_slip_holds_name_number_masked_id_and_qr_to_verification_link(permit, tmp_path, settings):
    settings.SITE_URL = "https://permits.example.cn"
    client = Client()
    client.force_login(permit.holder.user)
    response = client.get(reverse("permits:slip", args=[permit.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    text = _pdf_text(content, tmp_path)
    assert "张三丰" in text
    assert permit.number in text
    assert permit.holder.id_number not in text
    assert permit.holder.id_number[-4:] in text
    link = f"https://permits.example.cn/permits/verify/{slip.verification_token(permit)}/"
    assert _qr_texts(content) == [link]


def test_slip_embeds_holder_photo(permit):
    document = store_upload(
        uploaded_file=_png(), material="ID-PHOTO", uploaded_by=permit.holder.user, applicant=permit.holder
    )
    permit.holder.photo = document
    permit.holder.save()
    permit.refresh_from_db()
    with_photo = slip.render_slip(permit, printed_on=_today())
    page = pdfium.PdfDocument(with_photo)[0]
    kinds = [obj.type for obj in page.get_objects()]
    assert pdfium.raw.FPDF_PAGEOBJ_IMAGE in kinds


def test_verification_page_shows_only_masked_data(permit):
    response = Client().get(_verify_path(slip.verification_token(permit)))
    assert response.status_code == 200
    body = response.content.decode()
    assert "张**" in body
    assert "张三丰" not in body
    assert permit.number in body
    assert "证件在有效期内" in body
    assert permit.holder.id_number[-4:] not in body
    assert permit.employer.name not in body


def _verify_path(token: str) -> str:
    return reverse("permits:verify", kwargs={"token": token})


def test_altered_or_guessed_token_is_invalid_and_reveals_nothing(permit):
    token = slip.verification_token(permit)
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (altered, permit.public_id.hex, "abc", f"{permit.public_id.hex}:forged"):
        response = Client().get(_verify_path(bad))
        assert response.status_code == 400
        body = response.content.decode()
        assert "无效的核验链接" in body
        assert permit.number not in body


def test_signed_token_for_unknown_permit_is_404():
    import uuid

    from django.core import signing

    from permits.parameters import VERIFY_SALT

    token = signing.Signer(salt=VERIFY_SALT).sign(uuid.uuid4().hex)
    response = Client().get(_verify_path(token))
    assert response.status_code == 404
    assert "无效的核验链接" in response.content.decode()


def test_cancelled_permit_says_cancelled(permit):
    permit.status = PermitStatus.CANCELLED
    permit.cancelled_on = _today()
    permit.save()
    body = Client().get(_verify_path(slip.verification_token(permit))).content.decode()
    assert "已注销" in body
    assert "证件在有效期内" not in body


def test_expired_permit_says_expired_even_before_daily_job(permit):
    permit.expires_on = _today() - timedelta(days=1)
    permit.save()
    body = Client().get(_verify_path(slip.verification_token(permit))).content.decode()
    assert "已过期" in body
    permit.expires_on = _today()
    permit.save()
    body = Client().get(_verify_path(slip.verification_token(permit))).content.decode()
    assert "证件在有效期内" in body


def test_cancelled_permit_slip_not_printed(permit):
    permit.status = PermitStatus.CANCELLED
    permit.save()
    client = Client()
    client.force_login(permit.holder.user)
    response = client.get(reverse("permits:slip", args=[permit.public_id]))
    assert response.status_code == 302


def test_verification_page_in_english(permit):
    from django.utils.translation import trans_real

    if trans_real.translation("en").gettext("无效的核验链接") == "无效的核验链接":
        pytest.skip("English catalogue not compiled (make setup compiles it)")
    response = Client().get(_verify_path("forged"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Invalid verification link" in response.content.decode()
    body = (
        Client()
        .get(_verify_path(slip.verification_token(permit)), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "This slip is genuine and the permit is current." in body


def test_slip_embeds_a_subset_of_a_cjk_truetype_font(permit):
    """Issue 10 (9): the slip carries its Chinese font (a subset of WenQuanYi Zen Hei from the
    Debian package fonts-wqy-zenhei, installed by `make setup`): a viewer without Chinese fonts
    shows the text, not boxes."""
    import pikepdf

    content = slip.render_slip(permit, printed_on=_today())
    fonts = []
    with pikepdf.open(io.BytesIO(content)) as document:
        for page in document.pages:
            for _name, font in page.Resources.Font.items():
                descriptor = font.get("/FontDescriptor")
                file2 = descriptor.get("/FontFile2") if descriptor is not None else None
                data = file2.read_bytes() if file2 is not None else None
                fonts.append((str(font.BaseFont), data))
    embedded = [(name, data) for name, data in fonts if data]
    assert embedded, f"no embedded TrueType font in {[name for name, _ in fonts]}"
    # A subset font's name is tagged with six capital letters and a plus sign (PDF 32000 9.6.4).
    for name, data in embedded:
        tag, _plus, face = name.lstrip("/").partition("+")
        assert len(tag) == 6 and tag.isupper() and face.startswith("WenQuanYiZenHei"), name
        assert len(data) < 2_000_000  # a subset, not the whole 17 MB face
    # No font is left for the viewer to supply: every font of the page is embedded.
    assert len(embedded) == len(fonts), fonts
    text = _pdf_text(content)
    assert "确认单" in text and "张三丰" in text
