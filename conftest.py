"""Root pytest configuration: wires nbval's sanitize file in from anywhere."""

from pathlib import Path

ROOT = Path(__file__).parent


def pytest_configure(config):
    if hasattr(config.option, "nbval_sanitize_with") and not config.option.nbval_sanitize_with:
        config.option.nbval_sanitize_with = str(ROOT / "nbval_sanitize.cfg")
