"""Independent implementations of the same system, used to cross-check and benchmark restvarme.

:func:`restvarme.peers.pypsa_network.to_pypsa` builds a PyPSA network from restvarme's inputs
Dataset; it needs the ``peers`` extra (``pip install restvarme[peers]``).
"""
