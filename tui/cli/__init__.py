"""The ``newsdesk`` command line: argparse commands, output and progress.

Nothing here imports Textual at import time; the reader is imported only when it is opened.
"""
