"""Models the knowledge base prepares from packages: the bundled multilingual-e5-small."""
