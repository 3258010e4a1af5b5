"""The instructor's side: from the source notebook to solutions/, the expectations and release/."""
