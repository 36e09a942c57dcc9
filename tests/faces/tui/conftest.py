"""Fixtures for the UI tests: an app on the fake service, with a frozen clock and host."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from pathlib import Path

import pytest

from hotpass_tui.app import HotpassApp
from tests.faces.tui.fakes import FROZEN_HOST, FROZEN_NOW, FakeService

# Snapshots must not depend on where pytest puts its temporary folders.
SNAPSHOT_WORKSPACE = Path("/srv/hotpass")


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (Pilot needs one; no async plugin is installed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True


def make_app(service: FakeService, **kwargs) -> HotpassApp:
    return HotpassApp(service, clock=lambda: FROZEN_NOW, host=FROZEN_HOST, **kwargs)


@pytest.fixture
def service(tmp_path: Path) -> FakeService:
    return FakeService(tmp_path)


@pytest.fixture
def app_factory() -> Callable[..., HotpassApp]:
    return make_app


async def settle(pilot, app: HotpassApp) -> None:
    """Let workers finish and their messages land."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot, app: HotpassApp, *keys: str) -> None:
    """Press keys as an operator would, then let what they started finish."""
    await pilot.press(*keys)
    await settle(pilot, app)


def screen_text(app: HotpassApp) -> str:
    """What the terminal shows of the top screen, as plain text (as capture-pane reads it)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def text_of(widget) -> str:
    """The plain text a Static shows."""
    return str(widget.render())
