"""Files to articles to commits: sources, cleaning, intake, the writer, rebuild."""
