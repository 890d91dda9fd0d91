"""The grid's blocks are written in Python (reservations.planning_markup): what a block
says is escaped there as the template escaped it, in its text and in its attributes."""

import re

import pytest
from django.utils.html import escape

from tests.world.commune import seed_family

pytestmark = pytest.mark.django_db

NAME = 'Cantine <b>"L\'Île"</b> & Cie'
ESCAPED = "Cantine &lt;b&gt;&quot;L&#x27;Île&quot;&lt;/b&gt; &amp; Cie"


def test_an_activitys_name_is_escaped_in_the_block_and_its_attributes(client):
    fam = seed_family(name=NAME)
    client.force_login(fam.user)
    html = client.get("/planning/", {"week": fam.week}).content.decode()
    assert "<b>" not in html
    block = re.search(r'<li class="block state.*?</li>', html, re.S).group(0)
    assert f'<span class="block__activity">{ESCAPED}</span>' in block
    summary = re.search(r'data-summary="([^"]*)"', block).group(1)
    assert summary.endswith(f", {ESCAPED}")
    name = re.search(r'<span class="visually-hidden" id="cell-\d+-\d+-name">([^<]*)</span>', block)
    assert ESCAPED in name.group(1)
    assert escape(NAME) == ESCAPED  # what the template's autoescaping wrote
