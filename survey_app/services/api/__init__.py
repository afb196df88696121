"""Services behind the outputs for other systems and audiences.

API tokens, the JSON API's listings and scores, export tables, the board report and the public
area pages. Every number comes from released cells (`survey_app.services.releases.ledger`),
through `survey_app.services.reports` (scores, intervals, changes) or, for the public page's
released month, straight from the ledger and `survey_app.scoring`: nothing here computes a
statistic or decides suppression on its own.
"""
