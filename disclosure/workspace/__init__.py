"""The staff workspace (/workspace/): the pages over the workflow for clerks,
department heads, reviewers and office administrators. Uses the core; never
another package (docs/architecture.md)."""
