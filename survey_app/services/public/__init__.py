"""Services behind the public pages: the service areas' released month (`area`)."""
