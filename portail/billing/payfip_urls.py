"""PayFiP's two addresses, exactly payments.NOTIFY_PATH and payments.RETURN_PATH once
mounted at the site's root (portail/urls.py): urlnotif and urlredirect of every payment."""

from django.urls import path

from portail.billing import payments, views

app_name = "payfip"
urlpatterns = [
    path(payments.NOTIFY_PATH.lstrip("/"), views.notify, name="notify"),
    path(payments.RETURN_PATH.lstrip("/"), views.payment_return, name="return"),
]
