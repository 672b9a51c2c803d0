"""Models arrive with this app's issue; the app exists so the layout is stable."""
