"""Import the built-in extractor modules so that they register themselves, in order."""

from . import people  # noqa: F401
from . import organizations  # noqa: F401
from . import dates  # noqa: F401
from . import quotes  # noqa: F401
from . import pledges  # noqa: F401
