"""What a password must be (OWASP ASVS 2.1): long enough, not too long to hash, and not one
that people commonly use or that gives away its owner.

zxcvbn estimates how many guesses a password needs, with the 30,000 passwords most seen in
breaches, common names and words, and the owner's own e-mail address and name as known words:
a password it scores below 3 ("safely unguessable") is refused with its reason.
"""

from flask_babel import gettext as _
from zxcvbn import zxcvbn

from app.errors import AccountError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
# zxcvbn's scale: 0 and 1 fall to online guessing, 2 to offline fast hashing; 3 and 4 hold.
MIN_SCORE = 3


def check_password(password: str, *, email: str = "", name: str = "") -> None:
    """Raise an AccountError (on the `password` field) for a password that will not do."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            "password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(
            _("The password may have at most %(n)d characters.", n=MAX_PASSWORD_LENGTH),
            "password",
        )
    local_part = email.split("@", 1)[0]
    lowered = password.lower()
    if email and (email.lower() in lowered or (len(local_part) >= 4 and local_part in lowered)):
        raise AccountError(_("The password must not contain your e-mail address."), "password")
    # The owner's address and name count as known words: a password made of them scores low.
    known = [word for word in (email, local_part, name, *name.split()) if len(word) >= 3]
    result = zxcvbn(password[:100], user_inputs=known)
    if result["score"] < MIN_SCORE:
        raise AccountError(
            _(
                "This password is too easy to guess: it is a common password, or close to "
                "common words or patterns. Use a longer one, for example three or four "
                "unrelated words."
            ),
            "password",
        )
