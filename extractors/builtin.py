"""Import the built-in extractor modules so that they register themselves, in order."""

from . import (
    dates,  # noqa: F401
    mentions,  # noqa: F401
    organizations,  # noqa: F401
    people,  # noqa: F401
    pledges,  # noqa: F401
    quotes,  # noqa: F401
)
