"""Entity names as pure logic: normal forms, resolution inside an article, curation rules."""
