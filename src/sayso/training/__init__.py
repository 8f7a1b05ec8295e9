"""Training sayso's statistical components: the attribution role tagger (:mod:`sayso.role_tagger`).

:mod:`sayso.training.data` converts PolNeAR to BIO role tags over spaCy tokens;
:mod:`sayso.training.train` trains the tagger (``sayso train attribution``)."""
