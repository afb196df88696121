"""Services behind the outputs for other systems and audiences.

API tokens, the JSON API's listings and scores, export tables, the board report and the public
area pages. Every number comes from `survey_app.services.reports` (scores, intervals, changes,
suppression) or, for the rolling public window, straight from `survey_app.scoring` and
`survey_app.privacy`: nothing here computes a statistic or decides suppression on its own.
"""
