"""The SQLite store: schema and upgrades, ledger, articles, mentions and entities, user state."""
