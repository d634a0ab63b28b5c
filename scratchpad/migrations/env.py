import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
# A process that set up its own logging (the site, the tests) keeps it.
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def run_migrations_offline():
    url = target_db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=target_db.metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def skip_empty_revision(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", skip_empty_revision)

    with target_db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # SQLite's DDL is transactional; Alembic assumes otherwise and would
            # commit after each step.
            conf_args.setdefault("transactional_ddl", True)
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        # One transaction for the whole upgrade where the engine's DDL allows
        # it (PostgreSQL, SQLite): a step that fails leaves the starting revision.
        with context.begin_transaction():
            if connection.dialect.name == "sqlite":
                # Python's sqlite3 begins a transaction only before a data change,
                # and would run the first steps' DDL outside of it.
                connection.exec_driver_sql("BEGIN")
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
