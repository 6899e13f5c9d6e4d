"""The read facade that the reader and the CLI use."""
