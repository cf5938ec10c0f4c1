"""Import the built-in extractor modules so that they register themselves."""
