"""Flask extensions, created unbound and bound in create_app."""

from typing import TYPE_CHECKING, ClassVar, TypeAlias

from authlib.integrations.flask_client import OAuth
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as RequestSession
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints stably."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    if TYPE_CHECKING:
        # Every model maps one table (none maps a join or a select).
        __table__: ClassVar[Table]


db = SQLAlchemy(model_class=Base)

# The models' base class. ``db.Model`` is made at run time (a subclass of ``Base`` with
# Flask-SQLAlchemy's table naming and binds); a type checker cannot see an attribute as a
# class, so it checks the models against ``Base`` itself.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
# What a reader of the database is given: ``db.session`` (the request's session, a
# scoped proxy) or a plain ``Session``; both answer the same calls.
DbSession: TypeAlias = Session | scoped_session[RequestSession]

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
oauth = OAuth()
# Module level on purpose: a Limiter made inside the factory was garbage-collected.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
