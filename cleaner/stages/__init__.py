"""Detection stages: each looks at a document and marks spans; none of them edits."""
