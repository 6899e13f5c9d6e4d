"""Full-text search over Whoosh: schema, query language, ranking, phrases, highlights.

The only package that imports ``whoosh``.
"""
