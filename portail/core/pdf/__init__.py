"""Every PDF the portal makes, and what they share.

- `base`: the A4 page, fonts and colours, text the standard fonts can draw, money, dates,
  wrapping, and "Page n / total" on every page;
- `basket`: the basket's detail ("Télécharger le détail"), also the ticket's attachment;
- `recap`: the recap of one enrolment ("Récapitulatif des actions").

Each layout renders plain data built by the app that owns it (reservations builds the
basket's, the recap of an enrolment gives its rows): this package imports no app above
core, so any app may use it.
"""
