"""Independent implementations of the same system, used to cross-check and benchmark restvarme.

:func:`restvarme_peers.pypsa_network.to_pypsa` builds a PyPSA network from restvarme's inputs
Dataset; it needs the ``peers`` extra (``pip install restvarme[peers]``, PyPSA).

This package is not part of the installed ``restvarme``: it lives in ``peers/`` beside the tests
and benchmarks that use it, which put that folder on ``sys.path`` (``pythonpath`` in
pyproject.toml's pytest settings; ``benchmarks/vs_pypsa.py`` for its child interpreters).
"""
