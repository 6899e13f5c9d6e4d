"""The fast path over Whoosh's internals, behind the search package's interface.

The only code that reads Whoosh's private names and on-disk structures.
"""
