"""Activities: what each project posts from its own tools, stored exactly once."""
