"""Baseline of the load benchmark: a one-route Flask app (``gunicorn bench.minimal_app:app``)."""

from flask import Flask

app = Flask(__name__)


@app.post("/")
@app.get("/")
def index():
    """The cheapest possible answer."""
    return "ok"
