"""knews: clean tables from scraped Korean news pages.

    import knews

    tables = knews.load("output/")                 # the tables of a `knews run`
    tables = knews.analyse(text)                   # one page (or `html=`), as DataFrames
    tables = knews.analyse_frame(df, text="text")  # a DataFrame of pages
    doc = knews.doc(text)                          # a spaCy Doc with the extractions
    pipe = knews.Pipeline(rules=["my-rules"])      # rules and models loaded once

The implementation lives in the ``pipeline`` and ``extractors`` packages; this is
the public face, with a name no notebook's own ``pipeline.py`` shadows.
"""

from __future__ import annotations

import importlib.util
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent


def _bind(name: str) -> None:
    """Import knews's own ``pipeline``/``extractors`` package, not a ``pipeline.py`` that
    happens to sit in the working folder (a notebook's)."""
    folder = _ROOT / name
    loaded = sys.modules.get(name)
    if loaded is not None:
        if Path(getattr(loaded, "__file__", "") or "").resolve().parent != folder:
            raise ImportError(
                f"a module named {name!r} ({loaded.__file__}) was imported before knews; "
                f"import knews first, or rename your {name}.py"
            )
        return
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


_bind("pipeline")
_bind("extractors")

from pipeline.tables import load  # noqa: E402 - after binding knews's own packages

try:
    __version__ = version("knews")
except PackageNotFoundError:  # a source tree that was not installed
    __version__ = "0+unknown"

__all__ = ["Pipeline", "__version__", "analyse", "analyse_frame", "doc", "load"]


def __getattr__(name: str) -> Any:
    # The analysis API loads spaCy and Kiwi: import it only when it is used.
    if name in ("Pipeline", "analyse", "analyse_frame", "doc"):
        from pipeline import api

        return getattr(api, name)
    raise AttributeError(f"module 'knews' has no attribute {name!r}")
