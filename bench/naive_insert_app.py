"""Second baseline of the load benchmark: a naive single-insert endpoint.

``POST`` to any path reads one form field, inserts one row with SQLAlchemy Core in its own
transaction and answers 303: what the issue's reference figure describes ("a naive
single-insert endpoint measured about 0.34 of the one-route app on a 2-core machine").
No CSRF, no validation, no aggregates. ``SURVEY_DATABASE_URL`` names the database; the
table ``naive_answer`` is created by ``bench_load.py``.
"""

import os

from flask import Flask, redirect, request
from sqlalchemy import Column, Integer, MetaData, SmallInteger, Table, create_engine, insert

app = Flask(__name__)
engine = create_engine(os.environ["SURVEY_DATABASE_URL"])
metadata = MetaData()
naive_answer = Table("naive_answer", metadata,
                     Column("id", Integer, primary_key=True),
                     Column("score", SmallInteger, nullable=False))


@app.get("/")
def ready():
    """Health check for the benchmark's start-up wait."""
    return "ok"


@app.post("/", defaults={"path": ""})
@app.post("/<path:path>")
def answer(path: str):
    """Store one score, then redirect like the questionnaire does."""
    with engine.begin() as connection:
        connection.execute(insert(naive_answer), {"score": int(request.form.get("recommend", 0))})
    return redirect("/thanks", 303)
