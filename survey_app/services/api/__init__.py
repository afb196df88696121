"""Services behind the JSON API: API tokens (`tokens`) and the API's listings and scores
(`catalog`).

Export tables, files and the board report live in `survey_app.services.reports`, the public
area pages in `survey_app.services.public`. Every number comes from released cells
(`survey_app.services.releases.ledger`) through `survey_app.services.reports`: nothing here
computes a statistic or decides suppression on its own.
"""
