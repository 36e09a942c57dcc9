"""Header spellings real workbooks use reach the right field, without the profile being told."""

import pytest

from core.ingest.mapping import ColumnMapper, find_header
from core.profiles import load_profile


@pytest.fixture(scope="module")
def mapper() -> ColumnMapper:
    return ColumnMapper(load_profile("generic"))


@pytest.mark.parametrize("header, field", [
    ("Organisation Name", "organization_name"), ("Company", "organization_name"),
    ("Business name", "organization_name"), ("Name of Organisation", "organization_name"),
    ("Clinic Trading Name", "organization_name"), ("NAME", "organization_name"),
    ("First Name", "contact_first_name"), ("Surname", "contact_last_name"),
    ("Contact person", "contact_name"), ("Contact person (role)", "contact_name"),
    ("Position", "contact_role"), ("Role", "contact_role"),
    ("Tel.", "contact_phone"), ("Phone", "contact_phone"), ("Cell", "contact_phone"),
    ("Mobile", "contact_phone"), ("Contact Number", "contact_phone"), ("WhatsApp", "contact_phone"),
    ("Telephone (work)", "contact_phone"),
    ("E-mail", "contact_email"), ("email address", "contact_email"), ("Contact Email Address", "contact_email"),
    ("Website URL", "website"), ("Web", "website"), ("URL", "website"),
    ("Province", "province"), ("Region", "province"), ("Physical Address", "address"),
    ("ID", "organization_id"), ("Reg No", "organization_id"), ("Practice No", "organization_id"),
    ("Member Number", "organization_id"), ("Phone No", "contact_phone"), ("Fax No", "contact_phone"),
    ("Date of last contact", "last_interaction_date"), ("Status", "status"),
    ("Category", "category"), ("Notes", "notes"),
    ("Name of Business", "organization_name"), ("Name of practice", "organization_name"),
    ("State/Province", "province"),
])
def test_real_spellings_map(mapper: ColumnMapper, header: str, field: str) -> None:
    assert mapper.field_for(header)[0] == field


@pytest.mark.parametrize("header", ["Contact First Name", "Person Name", "User Name", "Full Name"])
def test_person_name_headers_are_not_organisation_names(mapper: ColumnMapper, header: str) -> None:
    assert mapper.field_for(header)[0] != "organization_name"


def test_suffix_must_be_whole_words(mapper: ColumnMapper) -> None:
    assert mapper.field_for("Casino")[0] is None
    assert mapper.field_for("Surname")[0] == "contact_last_name"


def test_keyword_must_start_a_word(mapper: ColumnMapper) -> None:
    """'Satellite' contains 'tel' but is not a telephone column."""
    assert mapper.field_for("MAIN/ SATELLITE")[0] is None


def test_second_column_for_a_single_field_is_listed_not_mapped(mapper: ColumnMapper) -> None:
    mapping = mapper.map_headers(["Company", "Business Name", "Phone", "WhatsApp"])
    assert mapping.by_header() == {"Company": "organization_name", "Phone": "contact_phone",
                                   "WhatsApp": "contact_phone"}
    assert any(u.startswith("Business Name") for u in mapping.unmapped)


def test_header_found_below_title_rows(mapper: ColumnMapper) -> None:
    rows = [["Regional directory"], [None], ["Exported 2025"], ["Company", "Tel.", "Notes"], ["Acme", "011"]]
    index, mapping = find_header(rows, mapper, scan_rows=15, min_fields=2)
    assert index == 3
    assert mapping.by_header()["Company"] == "organization_name"


def test_no_header_in_a_lookup_list(mapper: ColumnMapper) -> None:
    rows = [["Gauteng", "Active"], ["Free State", "Invalid"], ["Limpopo", None]]
    assert find_header(rows, mapper, scan_rows=15, min_fields=2)[0] is None


def test_header_beyond_the_scan_window_is_not_found(mapper: ColumnMapper) -> None:
    rows = [["title"]] * 5 + [["Company", "Phone"]]
    assert find_header(rows, mapper, scan_rows=5, min_fields=2)[0] is None
