"""Training sayso's statistical components (needs the ``train`` extra for the neural tagger).

:mod:`sayso.training.data` converts PolNeAR to BIO role tags over spaCy tokens; :mod:`sayso.training.neural`
fine-tunes the neural attribution tagger (``sayso train attribution``); :mod:`sayso.training.stance` trains
the stance models (``sayso train stance``)."""
