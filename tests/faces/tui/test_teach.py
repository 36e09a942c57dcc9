"""Teaching a workbook in Prepare (t), by keys only: header row, fields from a list, save an overlay of the changes."""

from __future__ import annotations

import yaml

from core.profiles import load_profile
from hotpass_tui.screens.teach import FieldPicker, TeachScreen
from tests.conftest import write_xlsx
from tests.faces.tui.conftest import make_app, press, screen_text, settle
from tests.faces.tui.fakes import FakeService

ROWS = [["Client register 2026"], [], ["Praktyk", "E-pos", "Foon", "Streek"],
        ["Acme Vets", "info@acme.co.za", "082 123 4567", "Gauteng"],
        ["Beta Coop", "hello@beta.co.za", "083 765 4321", "Limpopo"]]
FIELDS = list(load_profile("generic").fields)


async def wait_for(pilot, app, text: str, tries: int = 300) -> str:
    for _ in range(tries):
        shown = screen_text(app)
        if text in shown:
            return shown
        await pilot.pause(0.01)
    raise AssertionError(f"never shown: {text!r}\n{screen_text(app)}")


async def pick(pilot, app, field: str | None) -> None:
    """Enter on the column, then the field by arrow keys in the list (index 0 is 'no field')."""
    await press(pilot, app, "enter")
    assert isinstance(app.screen, FieldPicker)
    target = 0 if field is None else FIELDS.index(field) + 1
    await press(pilot, app, "home", *["down"] * target, "enter")


async def open_teach(pilot, app) -> None:
    await settle(pilot, app)
    await press(pilot, app, "down", "down", "t")  # from schools.xlsx to its sheet Schools, then teach it
    assert isinstance(app.screen, TeachScreen)
    await wait_for(pilot, app, "header row 1 of 5")


async def test_keys_alone_teach_a_sheet_and_w_saves_only_the_changes(tmp_path):
    folder = tmp_path / "data" / "sample"
    write_xlsx(folder / "schools.xlsx", {"Schools": ROWS})
    app = make_app(FakeService(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_teach(pilot, app)
        assert "skipped" in screen_text(app)  # the profile knows none of these headers
        await press(pilot, app, "plus", "plus")  # the header is row 3, under the title
        text = await wait_for(pilot, app, "header row 3 of 5")
        assert "Praktyk" in text and "info@acme.co.za" in text  # each column's first values beside it
        await pick(pilot, app, "organization_name")
        await wait_for(pilot, app, "organization_name")
        await press(pilot, app, "down")
        await pick(pilot, app, "contact_email")
        text = await wait_for(pilot, app, "used")
        assert "2 rows" in text
        await press(pilot, app, "w")
        await wait_for(pilot, app, "Saved")
        await press(pilot, app, "escape")
        assert not isinstance(app.screen, TeachScreen)
    saved = yaml.safe_load((folder / "hotpass.yaml").read_text())
    assert saved == {"extends": "generic", "sources": [{"pattern": "schools.xlsx", "header_rows": {"Schools": 3},
                     "columns": {"Schools": {"Praktyk": "organization_name", "E-pos": "contact_email"}}}]}


async def test_two_columns_to_one_single_valued_field_are_refused_with_the_reason(tmp_path):
    folder = tmp_path / "data" / "sample"
    write_xlsx(folder / "schools.xlsx", {"Schools": ROWS})
    (folder / "hotpass.yaml").write_text("sources:\n- pattern: schools.xlsx\n  header_rows: {Schools: 3}\n"
                                         "  columns: {Schools: {Praktyk: organization_name}}\n")
    app = make_app(FakeService(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "down", "down", "t")
        await wait_for(pilot, app, "header row 3 of 5")
        await press(pilot, app, "down", "down")  # Foon
        await pick(pilot, app, "organization_name")
        await wait_for(pilot, app, "Refused: columns 'Praktyk' and 'Foon'")
        assert app.screen.view.error == ("columns 'Praktyk' and 'Foon' both assigned to 'organization_name', "
                                         "which holds one value")
        await press(pilot, app, "w")
        await wait_for(pilot, app, "Refused: ")
    # Nothing refused reaches the file.
    assert "Foon" not in (folder / "hotpass.yaml").read_text()
