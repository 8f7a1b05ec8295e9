"""The per-article reader: spaCy components and the neural attribution tagger they use."""
