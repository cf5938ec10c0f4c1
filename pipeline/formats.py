"""The formats a run writes its tables in (a module light enough for the CLI to start fast)."""

FORMATS = ("jsonl", "csv", "parquet")
LIST_SEPARATOR = "; "  # between the items of a list in a CSV cell
