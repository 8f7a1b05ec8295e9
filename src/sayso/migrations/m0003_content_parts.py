"""Migration 3: the pieces of a content split by its cue ('“A,” he said, “B.”'), as a JSON list of
{"start", "end", "text"} objects (empty when the content is whole); places named in photo captions
(``caption`` = index into the article's captions, offsets then point into that caption)."""

SQL = """
ALTER TABLE attributions ADD COLUMN content_parts TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(content_parts));
ALTER TABLE places ADD COLUMN caption INTEGER;
"""
