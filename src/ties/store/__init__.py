"""The engagement database: one schema, SQLite by default, PostgreSQL for a team (SQLAlchemy Core)."""

DEFAULT_DB = "ties.db"
