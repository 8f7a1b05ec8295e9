"""Migration 3: the pieces of a content split by its cue ('“A,” he said, “B.”'), as a JSON list of
{"start", "end", "text"} objects (empty when the content is whole)."""

SQL = """
ALTER TABLE attributions ADD COLUMN content_parts TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(content_parts));
"""
