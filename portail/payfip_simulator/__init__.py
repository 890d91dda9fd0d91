"""A local stand-in for PayFiP, for the demo and the tests only (never installed in
production: see INSTALLED_APPS in portail/settings.py).

It speaks PayFiP's protocol at its own URLs: the SOAP endpoint (`tpa/services/securite`)
with the three operations and their faults, and the payment page (`tpa/paiementws.web`,
`?idop=<idOp>`). After the parent's choice it calls urlnotif server to server and sends
the browser to urlredirect, both with the idOp. All state lives in the database, so it
works with several processes. Switches stored in the database (SimulatorBehaviour, and
per payment SimulatedOperation.notification) make it notify twice, late or never, answer
slowly, with broken XML or an error page, so tests can prove the portal copes.

Late notifications are rows with a due time: `portail payfip_simulator_flush` sends the
due ones (run it from cron, or by hand in a demo), and the simulator also sends them
whenever its SOAP endpoint or pages are used.
"""
