"""The commands an instructor runs, each a plain function the CLI adapts."""
