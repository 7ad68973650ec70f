"""Management commands of the users app (`manage.py make_admin`)."""
