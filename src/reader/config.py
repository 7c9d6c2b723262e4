"""The user's settings, read from `config.toml` with tomllib.

Example::

    [network]
    timeout = 20          # seconds for a whole response
    connect_timeout = 10
    max_bytes = 20_000_000
    jobs = 16             # feeds fetched at once
    per_host = 4          # requests at once to one host

    [reader]
    browser = "xdg-open {url}"   # or leave empty for Python's webbrowser module
    save_dir = "~/Documents/warreader"
    full_text = true      # default for new feeds

    [limits]
    items_per_feed = 200  # newest items one refresh takes from one feed
    page_seconds = 15     # processor time to extract and analyse one page
    page_memory_mb = 1024 # memory for one page's extraction

    [keys]
    refresh_all = "r"     # action id = key(s), comma separated
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from reader.errors import ConfigError


@dataclass(frozen=True, slots=True)
class NetworkConfig:
    timeout: float = 20.0
    connect_timeout: float = 10.0
    max_bytes: int = 20_000_000
    max_redirects: int = 5
    jobs: int = 16
    per_host: int = 4
    retries: int = 2


@dataclass(frozen=True, slots=True)
class Limits:
    """What one refresh may spend on one feed and one page; a hostile one costs no more."""

    items_per_feed: int = 200
    page_seconds: float = 15.0
    page_memory_mb: int = 1024


@dataclass(frozen=True, slots=True)
class Config:
    network: NetworkConfig = field(default_factory=NetworkConfig)
    limits: Limits = field(default_factory=Limits)
    browser: str = ""
    save_dir: str = ""
    full_text: bool = True
    keys: dict[str, str] = field(default_factory=dict)
    theme: str = ""


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[{name}] in the config file must be a table of settings.")
    return value


def _typed(cls: type, values: dict[str, Any], section: str) -> dict[str, Any]:
    known = {f.name: f for f in fields(cls)}
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"Unknown setting '{key}' in [{section}] of the config file.")
        default = known[key].default
        if isinstance(default, bool) != isinstance(value, bool) or (
            isinstance(default, (int, float)) and not isinstance(value, (int, float))
        ) or (isinstance(default, str) and not isinstance(value, str)):
            raise ConfigError(
                f"Setting '{key}' in [{section}] should be a {type(default).__name__}."
            )
        out[key] = value
    return out


def parse_config(text: str) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"The config file is not valid TOML: {exc}") from None
    network = NetworkConfig(**_typed(NetworkConfig, _section(data, "network"), "network"))
    limits = Limits(**_typed(Limits, _section(data, "limits"), "limits"))
    reader = _section(data, "reader")
    allowed = {"browser": str, "save_dir": str, "full_text": bool, "theme": str}
    extra: dict[str, Any] = {}
    for key, value in reader.items():
        if key not in allowed:
            raise ConfigError(f"Unknown setting '{key}' in [reader] of the config file.")
        if not isinstance(value, allowed[key]):
            raise ConfigError(
                f"Setting '{key}' in [reader] should be a {allowed[key].__name__}."
            )
        extra[key] = value
    keys = _section(data, "keys")
    for action, key in keys.items():
        if not isinstance(key, str):
            raise ConfigError(f"Key for '{action}' in [keys] must be a string such as \"r\".")
    return Config(network=network, limits=limits, keys=dict(keys), **extra)


def load_config(path: Path) -> Config:
    """The config at `path`, or the defaults when there is no file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(f"Could not read the config file {path}: {exc.strerror}") from None
    return parse_config(text)
