import pytest
from django.test import Client

from tests.recap.events_story import Week, build_week
from tests.world.staff import client_for
from tests.world.story import Story, build_story


@pytest.fixture
def story(db) -> Story:
    return build_story()


@pytest.fixture
def parent(story) -> Client:
    return client_for(story.parent)


@pytest.fixture
def week(db, monkeypatch, settings) -> Week:
    """A week booked, paid online, cancelled with credit, and marked (events_story.py)."""
    return build_week(monkeypatch, settings)
