"""Flask extensions: created here, bound to an app only in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from app.models_base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
# Throttles password checks; its store is RATELIMIT_STORAGE_URI (memory, or Redis in production).
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
