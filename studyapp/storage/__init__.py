"""SQLite storage: models, engine, migrations, seeding and checks (no Qt)."""
