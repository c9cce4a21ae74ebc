"""Alembic environment for the attempt store's schema (records.sql_store runs it on open).

The store hands Alembic its open connection in `config.attributes["connection"]`; run from
the alembic command line (writing a new revision), `sqlalchemy.url` names the database.
Migration scripts are run by Alembic, never imported by the program.
"""

from alembic import context
from sqlalchemy import create_engine

from simulator.records.sql_schema import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    with create_engine(config.get_main_option("sqlalchemy.url")).connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
