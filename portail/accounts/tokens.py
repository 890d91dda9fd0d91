"""Activation links: like password-reset links, with their own salt and lifetime."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for the links e-mailed to accounts created by the service gestionnaire.

    The hash covers the password and the last login (see the parent class), so a link stops
    working once a password has been set with it. It expires after
    settings.PORTAIL_ACTIVATION_HOURS, not PASSWORD_RESET_TIMEOUT. Its own salt means a
    password-reset token is no activation token, and the reverse.
    """

    key_salt = "portail.accounts.tokens.ActivationTokenGenerator"

    def check_token(self, user, token) -> bool:
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        age = self._num_seconds(self._now()) - ts
        return age <= settings.PORTAIL_ACTIVATION_HOURS * 3600


activation_token = ActivationTokenGenerator()
