"""``sayso serve``: the web app and JSON API over a sayso store (:func:`sayso.web.app.create_app`)."""
