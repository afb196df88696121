"""Configuration classes for the survey service.

`create_app` loads one of these classes, then every ``SURVEY_*`` environment variable
(``SURVEY_SECRET_KEY``, ``SURVEY_DATABASE_URL`` …), then keyword overrides. A plain
``DATABASE_URL`` is honoured too, as most hosting platforms set that name.
"""

#: The development key. ProductionConfig refuses to start with it.
DEV_SECRET_KEY = "dev-only-not-secret"


class Config:
    """Development defaults: SQLite under ``instance/``, debug-friendly, safe to run locally."""

    SECRET_KEY = DEV_SECRET_KEY
    #: None means "SQLite file instance/survey.db"; set SURVEY_DATABASE_URL or DATABASE_URL.
    DATABASE_URL = None
    DATABASE_ECHO = False
    #: Size of the SQLAlchemy pool per process (PostgreSQL only).
    DATABASE_POOL_SIZE = 5

    BABEL_DEFAULT_LOCALE = "fi"
    BABEL_DEFAULT_TIMEZONE = "Europe/Helsinki"

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None
    #: Largest request body accepted; larger ones get a translated 413 page.
    MAX_CONTENT_LENGTH = 64 * 1024
    MAX_FORM_MEMORY_SIZE = 64 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    #: Flask-Limiter: off switch for load tests, storage (memory:// or redis://…) and limits.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_SUBMIT = "20 per minute;200 per hour"
    #: Kiosk tablets answer for a whole waiting room from one address.
    RATELIMIT_KIOSK = "60 per minute;1500 per hour"
    RATELIMIT_LOGIN = "10 per minute"
    #: Per API token (or per client without one).
    RATELIMIT_API = "120 per minute;2000 per hour"
    RATELIMIT_HEADERS_ENABLED = False
    #: Honeypot field on public questionnaires; off switch for load tests.
    HONEYPOT_ENABLED = True

    #: Anonymity thresholds (never below 3).
    PRIVACY_MIN_STAFF = 5
    PRIVACY_MIN_RESIDENT = 5
    PRIVACY_MIN_COMMENTS = 10

    #: Retention in days for raw answers and comments (aggregates are kept).
    RETENTION_DAYS = 730

    #: Seconds a report may reuse the aggregate sums it read (reports stop at yesterday, so the
    #: rows do not change during the day); 0 turns the reuse off.
    REPORTS_CACHE_SECONDS = 120

    #: Seconds a worker keeps which open survey collects a unit's answers, so a submission
    #: needs no lookup; every write re-checks that the survey is still open and the unit still
    #: public, so this only delays the switch to a newly opened, deeper survey; 0 = off.
    SUBMIT_TARGET_CACHE_SECONDS = 10

    #: Key of the keyed hashes of staff invitation tokens (SURVEY_TOKEN_KEY); None derives one
    #: from SECRET_KEY. Keep it outside the database and its backups: whoever holds it and
    #: the links file can tell whose link was used. Changing it invalidates unused links.
    TOKEN_KEY = None
    #: Staff used marks are written in batches of this many per round and unit (never below
    #: PRIVACY_MIN_STAFF), picked at random once twice as many are pending; the rest when the
    #: round is finalised. 0 = all only when the round is finalised (see README, "Staff
    #: answers and the database operator").
    PULSE_MARK_BATCH = 10
    #: Where pending used marks wait: a redis:// URL, else the RATELIMIT_STORAGE_URI if it is
    #: one, else the database ("database" forces the database). Redis without persistence
    #: keeps nothing of them on a disk.
    PULSE_GUARD_URL = None
    PULSE_GUARD_PREFIX = "survey:pulse:"
    #: Seconds without input after which any kiosk page returns to a blank form in the
    #: kiosk's own language (a script resets the timer on input; without JavaScript a meta
    #: refresh returns this long after the page loaded).
    KIOSK_IDLE_SECONDS = 60
    #: Seconds after a short answer (0–10 only) during which the same browser may add the
    #: statements and the comment to it.
    FOLLOWUP_SECONDS = 1800

    #: Public base URL used in invitation links and posters.
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"

    #: Strict-Transport-Security on responses (production only).
    HSTS_ENABLED = False

    #: Reverse proxies in front of the app that set X-Forwarded-For/-Proto (0 = none). With
    #: nginx on the same host set 1: rate limits then key on the resident's address (hashed),
    #: not on the proxy's, and url_for builds https links.
    PROXY_COUNT = 0

    #: Reaching people (README "Reaching people"). The SMS gateway: ``log`` (development:
    #: the message goes to the log with the number masked), ``kannel`` or ``http``.
    SMS_BACKEND = "log"
    #: Kannel's sendsms interface (smsbox ``sendsms-port``) and its ``sendsms-user``.
    SMS_KANNEL_URL = "http://127.0.0.1:13013/cgi-bin/sendsms"
    SMS_KANNEL_USERNAME = ""
    SMS_KANNEL_PASSWORD = ""
    #: Generic HTTPS JSON gateway: URL, one auth header ("Name: value") and a JSON body
    #: template whose strings may hold {to}, {text} and {sender}.
    SMS_HTTP_URL = ""
    SMS_HTTP_AUTH_HEADER = ""
    SMS_HTTP_BODY_TEMPLATE = '{"to": "{to}", "from": "{sender}", "text": "{text}"}'
    SMS_SENDER = ""
    #: An SMS goes at most this long after the visit (seconds or "2h", "90m"); later, never.
    SMS_DELAY = "2h"
    #: No SMS between these Helsinki hours ("21-08": from 21.00 until 08.00).
    SMS_QUIET_HOURS = "21-08"
    #: A number is asked at most once in this many days.
    SMS_ASK_INTERVAL_DAYS = 30
    #: Where Kannel reports deliveries (this app's base URL as Kannel reaches it, e.g.
    #: http://127.0.0.1:8000); empty = no delivery reports. Counted per unit only.
    SMS_DLR_BASE_URL = ""
    #: Days an SMS link stays usable.
    SMS_CODE_DAYS = 7
    #: Per-language text overrides, e.g. {"fi": "… {link}"} (as JSON in SURVEY_SMS_TEXTS).
    SMS_TEXTS = {}
    #: Key of the keyed hashes of numbers and codes and of the sealed e-mail addresses.
    #: Kept outside the database; derived from SECRET_KEY when empty.
    REACH_KEY = ""
    #: Outbox: attempts before the dead-letter state, first back-off in seconds (doubling).
    OUTBOX_MAX_ATTEMPTS = 6
    OUTBOX_BACKOFF_SECONDS = 30
    OUTBOX_BATCH = 200
    #: Seconds after which rows claimed by a worker that died are given up (never resent).
    OUTBOX_CLAIM_TIMEOUT = 600

    #: SMTP for staff invitations and reminders (Flask-Mailman).
    #: Always real SMTP (Flask-Mailman would switch to an in-memory backend under TESTING).
    MAIL_BACKEND = "smtp"
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "kysely@example.invalid"
    MAIL_TIMEOUT = 10


class DevelopmentConfig(Config):
    """Local development (same as Config; named for clarity on the command line)."""


class TestConfig(Config):
    """Tests: CSRF off unless a test turns it on, no rate limits unless a test turns them on."""

    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    REPORTS_CACHE_SECONDS = 0


class ProductionConfig(Config):
    """Production: secure cookies, HSTS; refuses the development secret key."""

    SECRET_KEY = None
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_ENABLED = True
