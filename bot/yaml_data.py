"""YAML as data: PyYAML's C loader where it has one (several times faster than the pure-Python one,
which matters for files read at every start), the safe Python loader otherwise."""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """The data of one YAML document; raises yaml.YAMLError for bad YAML, as `yaml.safe_load` does."""
    return yaml.load(text, Loader=SafeLoader)
