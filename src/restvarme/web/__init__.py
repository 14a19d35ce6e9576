"""The web front door: a REST API (and pages) over the run store, run by ``restvarme serve``.

Needs the ``web`` extra (``pip install 'restvarme[web]'``). See docs/web.md and
:func:`restvarme.web.app.create_app`.
"""
