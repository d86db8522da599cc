"""Articles in: reading files and standard input, and splitting French sentences."""
