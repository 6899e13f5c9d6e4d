"""Named-entity recognition: spaCy in worker processes or on a Dask cluster.

The only package that imports ``spacy``.
"""
