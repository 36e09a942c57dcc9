"""Step 1, Prepare, driven by keys only: the preview of every file and sheet, changing the folder
(f) and the profile (p), and a folder that cannot be read."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.widgets import ContentSwitcher, Input, Select, Static, Tree

from core.progress import ProgressEvent
from hotpass_tui.screens.error import ErrorModal
from tests.faces.tui.conftest import make_app, press, screen_text, settle, text_of
from tests.faces.tui.fakes import FakeService


class CountingBackend(FakeService):
    """The fake, remembering which folder and profile each preview was asked for."""

    def __init__(self, workspace: Path, **kwargs) -> None:
        super().__init__(workspace, **kwargs)
        self.previews: list[tuple[Path, str]] = []

    def preview(self, input_dir, profile, progress, cancel):
        self.previews.append((input_dir, profile))
        return super().preview(input_dir, profile, progress, cancel)


def tree_lines(app) -> list[str]:
    """Every label in the preview tree, depth first, whether or not it fits on screen."""
    lines: list[str] = []

    def walk(node) -> None:
        for child in node.children:
            lines.append(str(child.label))
            walk(child)

    walk(app.screen.query_one("#preview-tree", Tree).root)
    return lines


async def type_folder(pilot, app, folder: str) -> None:
    """f focuses the folder box (its text selected, so typing replaces it); Enter submits."""
    await pilot.press("f")
    assert app.focused is app.screen.query_one("#case-folder", Input)
    await press(pilot, app, *folder, "enter")


async def test_the_preview_shows_files_sheets_header_rows_mapping_and_skips(tmp_path):
    service = CountingBackend(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        text = screen_text(app)
        assert "Case folder  data/sample" in text
        assert "2 files, 3 sheets: 2 used, 1 skipped" in text
        # files, with their source and priority
        assert "schools.xlsx  xlsx · source schools · priority 2" in text
        assert "contacts.csv  csv · source contacts · priority 1" in text
        # sheets with the header row found, and which column maps to which field
        assert "✓ Schools  organisation · header row 3 · 118 of 120 rows" in "\n".join(tree_lines(app))
        assert "Organisation Name → organization_name" in text
        assert "Tel. → contact_primary_phone" in text
        assert "✓ (csv)  contact · header row 1" in text
        # what is skipped and why: columns, blank rows, sheets and files
        assert "ignored: Col7" in text
        assert "2 blank rows skipped" in text
        assert "✗ Lookups  skipped: no header row maps two fields" in text
        assert "✗ ~$schools.xlsx  skipped: Office lock file" in text
        assert service.previews == [(tmp_path / "data" / "sample", "generic")]


async def test_f_chooses_another_case_folder_by_path_and_previews_it_again(tmp_path):
    other = tmp_path / "data" / "other"
    other.mkdir(parents=True)
    service = CountingBackend(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await type_folder(pilot, app, "data/other")
        assert service.previews[-1] == (other, "generic")
        assert app.session.input_dir == other and app.session.case_id == "other"
        assert app.session.preview.input_dir == other
        text = screen_text(app)
        assert "case other" in text  # the status strip follows
        assert "2 files, 3 sheets" in text
        assert app.focused is app.screen.query_one("#preview-tree", Tree)  # back on the preview


async def test_f_takes_any_folder_outside_the_workspace(tmp_path, monkeypatch):
    home = tmp_path / "home"
    elsewhere = home / "other"
    elsewhere.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))  # a short path to type: ~/other
    service = CountingBackend(tmp_path / "workspace")
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await type_folder(pilot, app, "~/other")
        assert service.previews[-1] == (elsewhere, "generic")
        assert app.session.input_dir == elsewhere
        assert "case other" in screen_text(app)


async def test_a_folder_that_does_not_exist_is_refused_and_the_preview_stays(tmp_path):
    service = CountingBackend(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot, app)
        await type_folder(pilot, app, "data/nowhere")
        assert len(service.previews) == 1  # not previewed again
        assert app.session.case_id == "sample"
        assert "No such folder" in screen_text(app)  # the notification
        assert "schools.xlsx" in screen_text(app)
        assert app.is_running


async def test_p_chooses_the_profile_and_previews_again(tmp_path):
    service = CountingBackend(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("p")
        select = app.screen.query_one("#profile", Select)
        assert app.focused is select
        await pilot.press("enter")  # open the list
        await pilot.pause()
        assert "aviation" in screen_text(app)
        await pilot.press("up", "enter")  # generic is highlighted; aviation is above it
        await settle(pilot, app)
        assert select.value == "aviation"
        assert app.session.profile == "aviation"
        assert service.previews[-1] == (tmp_path / "data" / "sample", "aviation")
        assert app.session.preview.profile == "aviation"
        assert "profile aviation" in screen_text(app)


async def test_u_previews_again(tmp_path):
    service = CountingBackend(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "u")
        assert len(service.previews) == 2


async def test_a_broken_folder_shows_a_readable_error_and_the_app_stays_up(tmp_path):
    broken = tmp_path / "data" / "broken"
    broken.mkdir(parents=True)
    (tmp_path / "data" / "other").mkdir()
    service = CountingBackend(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await type_folder(pilot, app, "data/broken")
        assert isinstance(app.screen, ErrorModal)
        text = screen_text(app)
        assert "Preview stopped: UnreadableInput" in text
        assert "broken.xlsx" in text  # names the file
        assert "not a spreadsheet" in text
        assert "re-save it as .xlsx" in text  # and says what to do
        assert "Traceback" not in text
        await pilot.press("enter")  # closes the modal
        assert not isinstance(app.screen, ErrorModal)
        assert "Preview not available" in screen_text(app)
        assert "schools.xlsx" not in screen_text(app)  # the old case's preview is not passed off as this one's
        # the app keeps working: another folder previews
        await type_folder(pilot, app, "data/other")
        assert not isinstance(app.screen, ErrorModal)
        assert "2 files, 3 sheets" in screen_text(app)


class GatedBackend(CountingBackend):
    """A preview that reports one progress event, then waits until the test lets it finish."""

    def __init__(self, workspace: Path) -> None:
        super().__init__(workspace)
        self.release = threading.Event()

    def preview(self, input_dir, profile, progress, cancel):
        progress(ProgressEvent("read", 1, 3, 1, 2, "schools.xlsx"))
        self.release.wait(10)
        return super().preview(input_dir, profile, progress, cancel)


async def test_the_preview_runs_in_a_worker_and_shows_its_progress_as_it_arrives(tmp_path):
    service = GatedBackend(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        status = app.screen.query_one("#preview-status", Static)
        for _ in range(50):  # until the worker's progress message has landed
            await pilot.pause()
            if "Reading —" in text_of(status):
                break
        assert "Reading — read 1/2: schools.xlsx" in text_of(status)
        await pilot.press("2")  # the UI answers keys while the preview is read
        assert app.screen.query_one(ContentSwitcher).current == "step-2"
        await pilot.press("1")
        service.release.set()
        await settle(pilot, app)
        assert "2 files, 3 sheets" in text_of(status)


async def test_headers_with_brackets_are_shown_as_they_are_not_read_as_markup(tmp_path):
    class BracketBackend(FakeService):
        def preview(self, input_dir, profile, progress, cancel):
            preview = super().preview(input_dir, profile, progress, cancel)
            sheet = preview.files[0].sheets[0]
            sheet.mapping = {"Tel [work]": "contact_primary_phone", "Name [/b]": "organization_name"}
            sheet.unmapped = ["Notes [internal]"]
            return preview

    app = make_app(BracketBackend(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.is_running
        text = screen_text(app)
        assert "Tel [work] → contact_primary_phone" in text
        assert "Name [/b] → organization_name" in text
        assert "ignored: Notes [internal]" in text


async def test_the_blank_profile_entry_keeps_the_profile_in_use(tmp_path):
    service = CountingBackend(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("p", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "loading profiles…" not in text  # they have loaded
        assert "(keep the profile)" in text
        await pilot.press("up", "up", "enter")  # past aviation, onto the blank entry
        await settle(pilot, app)
        assert app.screen.query_one("#profile", Select).value == "generic"
        assert app.session.profile == "generic"  # not "Select.NULL", which Select.BLANK let through
        assert len(service.previews) == 1
        assert "profile generic" in screen_text(app)


async def test_a_superseded_preview_does_not_replace_the_newer_one(tmp_path):
    class SlowSample(CountingBackend):
        """The sample folder reads slowly (and reports a file name with brackets); others at once."""

        def __init__(self, workspace: Path) -> None:
            super().__init__(workspace)
            self.release = threading.Event()

        def preview(self, input_dir, profile, progress, cancel):
            if input_dir.name == "sample":
                progress(ProgressEvent("read", 1, 3, 1, 2, "old [/b].xlsx"))
                self.release.wait(10)
                progress(ProgressEvent("read", 1, 3, 2, 2, "late.xlsx"))
            return super().preview(input_dir, profile, progress, cancel)

    other = tmp_path / "data" / "other"
    other.mkdir(parents=True)
    service = SlowSample(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        status = app.screen.query_one("#preview-status", Static)
        for _ in range(50):
            await pilot.pause()
            if "Reading —" in text_of(status):
                break
        assert "old [/b].xlsx" in text_of(status)  # shown as it is
        await pilot.press("f", *"data/other", "enter")  # while the sample is still being read
        for _ in range(50):
            await pilot.pause()
            if app.session.preview is not None:
                break
        assert app.session.preview.input_dir == other
        service.release.set()
        await settle(pilot, app)
        assert app.session.preview.input_dir == other  # the sample's late result was dropped
        assert "2 files, 3 sheets" in text_of(status)  # not "Reading — … late.xlsx", not "Stopped"


async def test_the_profile_and_folder_given_on_the_command_line_are_the_ones_used(tmp_path):
    """`hotpass --case sample --profile aviation --input-dir data/other` opens on both, not the case's own."""
    service = CountingBackend(tmp_path)
    app = make_app(service, profile="aviation", input_dir=tmp_path / "data" / "other")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert service.previews[0] == (tmp_path / "data" / "other", "aviation")
        assert "Case folder  data/other" in screen_text(app)
        assert app.screen.query_one("#profile", Select).value == "aviation"


async def test_a_profile_that_does_not_exist_is_said_not_silently_swapped(tmp_path):
    service = CountingBackend(tmp_path)
    app = make_app(service, profile="aviaton")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert service.previews[0][1] == "aviation"  # the first on offer, and the operator is told
        assert any("No profile named 'aviaton'" in str(n.message) for n in app._notifications)
