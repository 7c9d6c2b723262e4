"""Opening links: the reader sees where a link goes before anything opens, `o` asks too,
and the browser command gets the address as one argument, never through a shell.

The browser command is a real process (Python recording its arguments to a file).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Markdown, Static

from reader.config import Config, browser_argv
from reader.store import Store
from reader.ui.data.links import link_parts
from reader.ui.dialogs.general import ConfirmLinkDialog
from reader.ui.widgets.story_list import StoryList
from tests.ui.support import (
    browser_recorder,
    make_app,
    notices,
    open_story,
    press,
    screen_text,
    settle,
    wait_for_file,
)

ATTACK = "https://www.bbc.co.uk&story=" + "A" * 1200 + "@127.0.0.1:9/x"


async def test_o_asks_before_opening(store: Store, tmp_path: Path) -> None:
    config, out = browser_recorder(tmp_path)
    app = make_app(store, config=config)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        story = app.main.query_one(StoryList).current
        await press(pilot, "o")
        assert isinstance(app.screen, ConfirmLinkDialog)
        await press(pilot, "n")
        await pilot.pause(0.3)
        assert not out.exists()
        await press(pilot, "o", "y")
        await wait_for_file(pilot, out)
    assert story is not None and out.read_text() == f'["{story.url}"]'


async def test_links_in_the_story_open_only_after_confirmation(store: Store,
                                                               tmp_path: Path) -> None:
    config, out = browser_recorder(tmp_path)
    app = make_app(store, config=config)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_story(pilot)
        body = app.main.query_one(Markdown)
        body.post_message(Markdown.LinkClicked(body, "https://example.org/un"))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLinkDialog)
        await press(pilot, "n")
        await pilot.pause(0.3)
        assert not out.exists()
        body.post_message(Markdown.LinkClicked(body, "https://example.org/un"))
        await pilot.pause()
        await press(pilot, "y")
        await wait_for_file(pilot, out)
    assert out.read_text() == '["https://example.org/un"]'


async def test_confirm_dialog_shows_the_real_site_first(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_story(pilot)
        body = app.main.query_one(Markdown)
        body.post_message(Markdown.LinkClicked(body, ATTACK))
        await pilot.pause()
        await settle(pilot)
        assert isinstance(app.screen, ConfirmLinkDialog)
        site = str(app.screen.query_one("#link-site", Static).render())
        assert "127.0.0.1:9" in site and "bbc" not in site
        warning = str(app.screen.query_one("#link-userinfo", Static).render())
        assert "www.bbc.co.uk" in warning and "not the site" in warning
        text = screen_text(app)
        assert text.index("127.0.0.1:9") < text.index("www.bbc.co.uk")


async def test_address_reaches_the_browser_as_one_argument(store: Store,
                                                           tmp_path: Path) -> None:
    config, out = browser_recorder(tmp_path)
    hostile = f"https://example.org/$(touch {tmp_path}/pwned)`touch {tmp_path}/pwned2`;x&y=1"
    app = make_app(store, config=config)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.open_in_browser(hostile)
        await wait_for_file(pilot, out)
    assert out.read_text() == f'["{hostile}"]'.replace("\\", "\\\\")
    assert not list(tmp_path.glob("pwned*"))


async def test_a_shell_wrapped_command_is_refused(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "ran.txt"
    app = make_app(store, config=Config(browser=f"sh -c 'echo {{url}} > {target}'"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.open_in_browser(f"https://example.org/$(touch {tmp_path}/pwned)")
        await settle(pilot)
        await pilot.pause(0.5)
        assert "argument of its own" in notices(app)
    assert not target.exists() and not list(tmp_path.glob("pwned*"))


@pytest.mark.parametrize(("url", "site", "userinfo", "shown"), [
    (ATTACK, "127.0.0.1:9", "www.bbc.co.uk&story=" + "A" * 1200, ""),
    ("https://user:pw@example.org/a", "example.org", "user:pw", ""),
    ("http://пример.рф/путь", "xn--e1afmkfd.xn--p1ai", "", "пример.рф"),
    ("https://example.org:8443/x?y#z", "example.org:8443", "", ""),
])
def test_link_parts(url: str, site: str, userinfo: str, shown: str) -> None:
    parts = link_parts(url)
    assert parts is not None
    assert (parts.site, parts.userinfo, parts.shown_host) == (site, userinfo, shown)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "-x", "http://"])
def test_only_web_addresses_have_parts(url: str) -> None:
    assert link_parts(url) is None


def test_browser_argv() -> None:
    assert browser_argv("firefox --new-tab {url}", "https://a/$(x)") == [
        "firefox", "--new-tab", "https://a/$(x)"]
    assert browser_argv("xdg-open", "https://a/`x`") == ["xdg-open", "https://a/`x`"]
    for command in ("sh -c 'firefox {url}'", "bash -c \"open {url}\"", "x --url={url}", "'"):
        with pytest.raises(ValueError):
            browser_argv(command, "https://a/")
