"""Searching the catalog and the fees due per channel."""

from decimal import Decimal

import pytest

from motcua.catalog.selectors import (
    fees_for,
    procedure_search,
    procedure_version_in_force,
)

from .factories import FeeItemFactory, ProcedureFactory, ProcedureVersionFactory

pytestmark = pytest.mark.django_db


def _published(code, name):
    return ProcedureVersionFactory(
        procedure=ProcedureFactory(code=code, name=name), published=True
    ).procedure


@pytest.fixture
def catalog():
    return {
        "birth": _published("1.001193", "Thủ tục đăng ký khai sinh"),
        "roving": _published("1.003583", "Thủ tục đăng ký khai sinh lưu động"),
        "foreign": _published(
            "2.000528", "Thủ tục đăng ký khai sinh có yếu tố nước ngoài"
        ),
        "copy": _published(
            "2.000635", "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh"
        ),
        "residence": _published("1.004222", "Đăng ký thường trú"),
        "draft": ProcedureVersionFactory(
            procedure=ProcedureFactory(
                code="1.000689", name="Đăng ký khai sinh kết hợp nhận cha, mẹ, con"
            )
        ).procedure,
    }


@pytest.mark.parametrize(
    "query",
    [
        "dang ky khai sinh",
        "Đăng ký khai sinh",
        "ĐĂNG KÝ KHAI SINH",
        "  dang   ky khai  sinh ",
    ],
)
def test_search_ignores_diacritics_case_and_spaces(catalog, query):
    """The exact name comes first, then names starting with the phrase."""
    codes = [p.code for p in procedure_search(query)]

    assert codes == ["1.001193", "1.003583", "2.000528"]


def test_every_word_must_match_in_any_order(catalog):
    codes = {p.code for p in procedure_search("khai sinh ban sao")}

    assert codes == {"2.000635"}


def test_search_by_code(catalog):
    assert [p.code for p in procedure_search("1.004222")] == ["1.004222"]


def test_drafts_only_when_asked(catalog):
    assert "1.000689" not in {p.code for p in procedure_search("khai sinh")}
    assert "1.000689" in {
        p.code for p in procedure_search("khai sinh", published_only=False)
    }


def test_search_limit_and_empty_query(catalog):
    assert len(procedure_search("khai sinh", limit=2)) == 2
    assert len(procedure_search("khai sinh", limit=None)) == 4
    assert list(procedure_search("   ")) == []
    assert list(procedure_search("không có thủ tục này")) == []


def test_search_runs_in_one_query(catalog, django_assert_num_queries):
    with django_assert_num_queries(1):
        results = [(p.code, p.sector.name) for p in procedure_search("khai sinh")]
    assert len(results) == 4


def test_version_in_force():
    version = ProcedureVersionFactory(published=True)
    ProcedureVersionFactory(procedure=version.procedure, number=2)

    assert procedure_version_in_force(version.procedure) == version
    assert procedure_version_in_force(ProcedureFactory()) is None


def test_fees_for_a_channel():
    """
    1.004222 shape: a general charge overridden online, a post-only fee, and
    a general fee nobody overrides.
    """
    version = ProcedureVersionFactory()
    general = FeeItemFactory(
        version=version, name="Lệ phí đăng ký", amount=Decimal(20000)
    )
    online = FeeItemFactory(
        version=version, name="Lệ phí đăng ký", amount=Decimal(10000), channel="online"
    )
    copy_fee = FeeItemFactory(
        version=version, name="Phí cấp bản sao", amount=Decimal(8000)
    )
    post_only = FeeItemFactory(
        version=version, name="Phí gửi bưu chính", amount=Decimal(30000), channel="post"
    )

    assert fees_for(version, "online") == [online, copy_fee]
    assert fees_for(version, "counter") == [general, copy_fee]
    assert fees_for(version, "post") == [general, copy_fee, post_only]


def test_fee_codes_take_precedence_over_names():
    version = ProcedureVersionFactory()
    FeeItemFactory(version=version, code="LP01", name="Lệ phí", amount=Decimal(50000))
    online = FeeItemFactory(
        version=version,
        code="LP01",
        name="Lệ phí nộp trực tuyến",
        amount=Decimal(25000),
        channel="online",
    )
    other = FeeItemFactory(
        version=version,
        code="LP02",
        name="Lệ phí",
        amount=Decimal(1000),
        channel="online",
    )

    assert fees_for(version, "online") == [other, online]


def test_no_fees():
    assert fees_for(ProcedureVersionFactory(), "counter") == []
