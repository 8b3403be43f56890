"""Prompt templates, versioned by file name (claims.v1.txt); shipped as verifier.prompts."""
