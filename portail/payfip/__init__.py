"""PayFiP, the State's online payment service (DGFiP), in web-service mode.

A small client of the project's own (`portail.payfip.client`): SOAP 1.1 over HTTP with
`requests`, the three operations the public implementations use, faults turned into
`PayfipError` codes, and input checks (`portail.payfip.validators`). It knows nothing of
baskets or payments rows: the checkout builds on top of it.
"""
