"""cleaner: turn scraped web text into clean paragraphs, logging every change.

>>> from cleaner import clean
>>> clean("Hello world.\\n\\n0").text
'Hello world.\\n'
"""

from cleaner.config import Config, ConfigError
from cleaner.decode import NotTextError
from cleaner.document import Edit, Span, restore
from cleaner.pipeline import CleanResult, Pipeline, clean

__all__ = ["clean", "Pipeline", "CleanResult", "Config", "ConfigError", "Edit", "Span",
           "NotTextError", "restore"]
__version__ = "0.1.0"
