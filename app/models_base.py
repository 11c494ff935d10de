"""The declarative base, its naming convention, and column types shared by every area."""

import enum
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator
from wtforms.fields.choices import SelectChoice

# Alembic and the database then name every constraint the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


# JSON on SQLite, JSONB on PostgreSQL: JSONB compares equal, so a query with DISTINCT over a
# row that holds one (a meeting with its `translations`) still works there.
JSONValue = sa.JSON().with_variant(JSONB(), "postgresql")


# The largest id an INTEGER column holds on PostgreSQL: a larger one is "not found", never an error.
MAX_ID = 2**31 - 1


def utcnow() -> datetime:
    """The current time, aware, in UTC (a callable for column defaults)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as naive UTC, so SQLite and PostgreSQL hold the same value.

    Writing a naive datetime is refused: it has no zone, so we could not know what it means.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def enum_type(enum_class: type[enum.Enum], name: str) -> sa.Enum:
    """A portable enum column: a VARCHAR with a named CHECK constraint holding the values."""
    return sa.Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_class),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class LabelledEnum(enum.StrEnum):
    """An enum whose members carry a translatable label for forms and pages."""

    def __new__(cls, value: str, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[SelectChoice]:
        """Options for a SelectField (WTForms 3.3 deprecates plain tuples)."""
        return [SelectChoice(member.value, member.label) for member in cls]
