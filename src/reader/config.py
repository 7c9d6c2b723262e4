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
    layout = "columns"    # or "list": a full-width story list, Enter reads (w switches)

    [limits]
    items_per_feed = 200  # newest items one refresh takes from one feed
    page_seconds = 15     # processor time to extract and analyse one page
    page_memory_mb = 1024 # memory for one page's extraction

    [keys]
    refresh_all = "r"     # action id = key(s), comma separated
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from reader.errors import ConfigError

# The sections of plain values are named tuples, like reader.models: every start defines them,
# and a named tuple costs a fraction of a dataclass to define.

class NetworkConfig(NamedTuple):
    timeout: float = 20.0
    connect_timeout: float = 10.0
    max_bytes: int = 20_000_000
    max_redirects: int = 5
    jobs: int = 16
    per_host: int = 4
    retries: int = 2


class Limits(NamedTuple):
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
    layout: str = "columns"  # or "list": newsboat's full-width story list


# Allowed ranges, checked when the file is read: a timeout of 0, -1 or nan, or a negative
# size, used to be accepted and then made every feed fail. (low, high, low included)
_RANGES: dict[str, tuple[float, float, bool]] = {
    "timeout": (0, 3600, False), "connect_timeout": (0, 600, False),
    "max_bytes": (1000, 10_000_000_000, True), "max_redirects": (0, 30, True),
    "jobs": (1, 256, True), "per_host": (1, 64, True), "retries": (0, 10, True),
    "items_per_feed": (1, 1_000_000, True), "page_seconds": (0, 3600, False),
    "page_memory_mb": (64, 1_000_000, True),
}
PLACEHOLDER = "{url}"


class _Checker:
    """Checks settings and names the file, the section and the key in every complaint."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, section: str, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.source}: '{key}' in [{section}] {problem}")

    def section(self, data: dict[str, Any], name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{self.source}: [{name}] must be a table of settings.")
        return value

    def typed(self, cls: type[NetworkConfig | Limits], values: dict[str, Any], section: str
              ) -> dict[str, Any]:
        defaults = cls._field_defaults
        out: dict[str, Any] = {}
        for key, value in values.items():
            if key not in defaults:
                raise ConfigError(f"{self.source}: unknown setting '{key}' in [{section}].")
            out[key] = self.value(section, key, value, defaults[key])
        return out

    def value(self, section: str, key: str, value: Any, default: Any) -> Any:
        kind = type(default)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is not kind:
            names = {bool: "true or false", int: "a whole number", float: "a number",
                     str: "text in quotes"}
            raise self.error(section, key, f"should be {names.get(kind, kind.__name__)}, "
                                           f"not {value!r}.")
        if key in _RANGES:
            low, high, closed = _RANGES[key]
            fits = (low <= value if closed else low < value) and value <= high
            if not fits:  # nan fits nothing
                floor = f"at least {low:g}" if closed else f"above {low:g}"
                raise self.error(section, key, f"should be {floor} and at most {high:g}, "
                                               f"not {value!r}.")
        if key == "browser" and value.strip():
            try:
                check_browser_command(value)
            except ValueError as exc:
                raise self.error(section, key, f"cannot be used: {exc}.") from None
        return value


def check_browser_command(command: str) -> list[str]:
    """The browser command's arguments; the address may only be a whole argument of its own.

    `sh -c 'firefox {url}'` would put the address inside a shell script, where `$(...)` or
    a backtick in a link runs a command: such a command is refused (ValueError).
    """
    import shlex  # only when a browser command is set: the reader's start has no use for it

    try:
        args = shlex.split(command)
    except ValueError as exc:
        raise ValueError(f"it cannot be split into arguments ({exc})") from None
    if not args:
        raise ValueError("it is empty")
    for arg in args:
        if PLACEHOLDER in arg and arg != PLACEHOLDER:
            raise ValueError(
                f"{PLACEHOLDER} must be an argument of its own (as in \"firefox {PLACEHOLDER}\");"
                " warreader never passes an address through a shell")
    return args


def browser_argv(command: str, url: str) -> list[str]:
    """The program and arguments that open `url`: the address is one argument, never parsed."""
    args = check_browser_command(command)
    if PLACEHOLDER not in args:
        return [*args, url]
    return [url if arg == PLACEHOLDER else arg for arg in args]


def parse_config(text: str, source: str = "The config file") -> Config:
    """The settings in `text`; ConfigError naming `source`, the section and the key."""
    # Imported here, when there is a file to read: tomllib compiles its regular expressions
    # on import, which a start without a config file need not pay for.
    import tomllib

    check = _Checker(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source} is not valid TOML: {exc}") from None
    network = NetworkConfig(**check.typed(NetworkConfig, check.section(data, "network"),
                                          "network"))
    limits = Limits(**check.typed(Limits, check.section(data, "limits"), "limits"))
    reader = check.section(data, "reader")
    defaults = {"browser": "", "save_dir": "", "full_text": True, "theme": "",
                "layout": "columns"}
    extra: dict[str, Any] = {}
    for key, value in reader.items():
        if key not in defaults:
            raise ConfigError(f"{source}: unknown setting '{key}' in [reader].")
        extra[key] = check.value("reader", key, value, defaults[key])
    if extra.get("layout", "columns") not in ("columns", "list"):
        raise check.error("reader", "layout", "should be \"columns\" or \"list\".")
    keys = check.section(data, "keys")
    for action, key in keys.items():
        if not isinstance(key, str):
            raise check.error("keys", action, "must be a key in quotes, such as \"r\".")
    for name in data:
        if name not in ("network", "limits", "reader", "keys"):
            raise ConfigError(f"{source}: unknown section [{name}].")
    return Config(network=network, limits=limits, keys=dict(keys), **extra)


def load_config(path: Path) -> Config:
    """The config at `path`, or the defaults when there is no file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except UnicodeDecodeError as exc:
        raise ConfigError(f"The config file {path} is not UTF-8 text (a bad byte at"
                          f" position {exc.start}); save it as UTF-8.") from None
    except OSError as exc:
        raise ConfigError(f"Could not read the config file {path}: {exc.strerror}") from None
    return parse_config(text, f"The config file {path}")
